#!/usr/bin/env bash
# Runs Maven with a JDK >= 22 (see scripts/lib/jdk.sh); arguments go to mvn.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/jdk.sh"
ftm_find_jdk || exit 3
JAVA_HOME="$FTM_JDK"
export JAVA_HOME
command -v mvn >/dev/null || { echo "ftm: Maven (mvn) is not installed: apt-get install maven" >&2; exit 3; }
profile=()
[ -n "${FTM_MAVEN_PROFILE:-}" ] && profile=(-P "$FTM_MAVEN_PROFILE")
cd "$ROOT"
exec mvn "${profile[@]}" "$@"
