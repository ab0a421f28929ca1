# Shared by bin/mysql-lifecycle, bin/test and bin/bench: install what is missing, build what is stale.
# Sourced, not run. Messages go to stderr: stdout belongs to the commands' JSON.

project_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli_jar="$project_root/target/mysql-lifecycle-cli.jar"

say() { printf '%s\n' "$*" >&2; }

has_program() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]
}

has_java17() {
  has_program java || return 1
  local major release
  # the JDK's release file says its version without starting a JVM (40 ms of every CLI command otherwise)
  release="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/release"
  if [ -f "$release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  [ -n "$major" ] && [ "$major" -ge 17 ]
}

# ensure_packages PROGRAM:PACKAGE ...: installs the packages whose program is missing, with apt-get, as root.
# mariadb-server is installed with its service held back (policy-rc.d): the engine runs its own servers, and
# nothing here may leave the distribution's service running.
ensure_packages() {
  local missing=() pair program package
  for pair in "$@"; do
    program=${pair%%:*}
    package=${pair#*:}
    if [ "$program" = java ]; then
      has_java17 || missing+=("$package")
    elif ! has_program "$program"; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # shellcheck disable=SC2207
  missing=($(printf '%s\n' "${missing[@]}" | sort -u))
  if [ "$(id -u)" -ne 0 ]; then
    say "Missing packages: ${missing[*]}. Install them as root, then run this again:"
    say "  sudo sh -c 'apt-get update && apt-get install -y ${missing[*]}'"
    exit 2
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "Missing packages: ${missing[*]}, and there is no apt-get here: install them with this system's package manager."
    exit 2
  fi
  say "Installing ${missing[*]} ..."
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
  fi
  local status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 || status=$?
  [ -n "$made_policy" ] && rm -f "$policy"
  if [ $status -ne 0 ]; then
    say "apt-get install ${missing[*]} failed (exit $status)."
    exit 2
  fi
}

# Builds the CLI jar when it is missing or older than any source or POM.
ensure_cli_jar() {
  if [ -f "$cli_jar" ] && [ -z "$(find "$project_root/pom.xml" "$project_root/src/main" -newer "$cli_jar" -print -quit)" ]; then
    return 0
  fi
  say "Building $cli_jar with Maven ..."
  (cd "$project_root" && mvn -B -q -ntp -Dstandin -Dmaven.test.skip=true package) >&2 || {
    say "The Maven build failed; see the output above."
    exit 1
  }
}

# Oracle MySQL 9.7 for the tests and benchmarks. Debian 12 has none; its package registry's sid suite has
# mysql-server-core and mysql-client-core. Installing sid packages into this system would replace its libc, so they go
# into a separate minimal sid root made with debootstrap, and the programs are reached through wrappers that exec them
# inside it (with exec, the spawned pid becomes mysqld itself). /tmp is bind-mounted into the root, so the data
# directories, sockets and option files the tests make under /tmp have the same paths on both sides. The measured facts
# behind each step: ../shared/notes/mysql-on-this-machine.md. The engine knows none of this: it is given
# $mysql_bin/mysqld like any MySQL installation.
mysql_home=/opt/mysql-lifecycle
mysql_root="$mysql_home/sid-root"
mysql_bin="$mysql_home/mysql-9.7/bin"

ensure_mysql() {
  if [ -x "$mysql_bin/mysqld" ] && [ -x "$mysql_root/usr/sbin/mysqld" ]; then
    ensure_mysql_mounts
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "Oracle MySQL 9.7 for the tests is missing (it lives in $mysql_home). Install it as root:"
    say "  sudo $project_root/bin/lib/install-mysql"
    exit 2
  fi
  ensure_packages debootstrap:debootstrap
  local building="$mysql_root.partial" uid gid
  uid=$(id -u mysql) && gid=$(id -g mysql) || { say "No mysql account on this machine (mariadb-server makes it)."; exit 2; }
  release_mysql_root "$building"
  rm -rf --one-file-system "$building"
  say "Installing Oracle MySQL 9.7 (Debian sid) into $mysql_root, about 40 s ..."
  mkdir -p "$mysql_home"
  debootstrap --variant=minbase sid "$building" http://deb.debian.org/debian >&2 \
    || { say "debootstrap of Debian sid failed; see above."; exit 1; }
  # the registry serves a frozen sid whose Release file has expired; the host's apt is set up the same way
  echo 'Acquire::Check-Valid-Until "false";' > "$building/etc/apt/apt.conf.d/99mysql-lifecycle"
  printf '#!/bin/sh\nexit 101\n' > "$building/usr/sbin/policy-rc.d" && chmod 755 "$building/usr/sbin/policy-rc.d"
  # the same uid and gid as the host's mysql, so that "chown mysql:" means one account on both sides
  chroot "$building" groupadd -g "$gid" mysql
  chroot "$building" useradd -r -u "$uid" -g "$gid" -d /nonexistent -s /usr/sbin/nologin mysql
  mount -t proc proc "$building/proc"
  local status=0
  { chroot "$building" apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive chroot "$building" apt-get install -y -qq --no-install-recommends \
           mysql-server-core mysql-client-core \
      && chroot "$building" apt-get clean; } >&2 || status=$?
  umount "$building/proc"
  [ $status -eq 0 ] || { say "Installing MySQL inside $building failed (exit $status); see above."; exit 1; }
  mv "$building" "$mysql_root"
  mkdir -p "$mysql_bin"
  local program
  for program in sbin/mysqld bin/mysql bin/mysqldump bin/mysqladmin; do
    printf '#!/bin/sh\nexec chroot %s /usr/%s "$@"\n' "$mysql_root" "$program" > "$mysql_bin/${program#*/}"
    chmod 755 "$mysql_bin/${program#*/}"
  done
  ensure_mysql_mounts
  say "MySQL $("$mysql_bin/mysqld" --version | sed 's/.*Ver //') is in $mysql_bin."
}

# /tmp inside the root is the host's /tmp, so that paths the tests make there mean the same file on both sides; and
# the root has its own /proc, which the tools need for /dev/stdin and /dev/fd/N (the password's option file is read
# from a pipe there, as on any MySQL installation).
ensure_mysql_mounts() {
  mountpoint -q "$mysql_root/tmp" && mountpoint -q "$mysql_root/proc" && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "$mysql_root needs the host's /tmp and a /proc (mounts only root can make):"
    say "  sudo $project_root/bin/lib/install-mysql"
    exit 2
  fi
  mountpoint -q "$mysql_root/tmp" || mount --bind /tmp "$mysql_root/tmp"
  mountpoint -q "$mysql_root/proc" || mount -t proc proc "$mysql_root/proc"
}

# Unmounts what a root being rebuilt may hold; never remove a root while /tmp is mounted in it (that empties /tmp).
release_mysql_root() {
  local root=$1
  mountpoint -q "$root/tmp" && umount "$root/tmp"
  mountpoint -q "$root/proc" && umount "$root/proc"
  return 0
}
