# Sourced by bench/run.sh and eval/known-item.sh: installs the Debian packages
# named in the array `missing` (as root only), or stops with a message naming them.
# $1: the calling script's name, for the message.
install_missing() {
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1: missing packages: ${missing[*]} (run as root, or: apt-get install ${missing[*]})" >&2
    exit 2
  fi
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
