# Sourced by the install scripts: `apt_install PKG…` installs Debian packages as root, or through
# sudo, without recommends and without upgrading what is already there.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "install: must run as root (or with sudo available)" >&2
      return 1
    fi
  fi
  # env: sudo would drop an exported DEBIAN_FRONTEND.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-upgrade "$@"
}

# `apt_install_python_module MODULE PACKAGE`: installs Debian's PACKAGE unless Debian's python3
# already imports MODULE (the dev-only oracles: python3-awscrt, python3-botocore).
apt_install_python_module() {
  local module=$1 package=$2
  if /usr/bin/python3 -c "import ${module}" >/dev/null 2>&1; then
    echo "${package} already installed: $(dpkg-query -W -f='${Version}' "${package}" 2>/dev/null || echo '(not from Debian)')"
    return 0
  fi
  apt_install "${package}"
  echo "${package} installed: $(dpkg-query -W -f='${Version}' "${package}")"
}
