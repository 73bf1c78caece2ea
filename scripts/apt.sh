# Sourced by the scripts/ensure-*.sh scripts: installing Debian packages, as root or through sudo.
# (Not executable on its own.)

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
  SUDO="sudo"
fi

# apt_install PACKAGE...: install quietly, without the recommended extras. Fails (status 1, saying why) where
# this is neither root nor able to use sudo, or where apt-get fails.
apt_install() {
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    echo "需要 root 或 sudo 来安装：$*" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
