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
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
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
