#!/usr/bin/env bash
# Installs the Debian packages the project needs, if they are missing.
#   scripts/system-deps.sh          the CJK TrueType font every PDF embeds
#   scripts/system-deps.sh --test   also poppler (PDF checks), zbar (QR decoding), Chromium and
#                                   Noto CJK (browser tests with Chinese glyphs)
#   scripts/system-deps.sh --bench  also wrk, the HTTP load generator `onelicense bench` drives
set -euo pipefail

packages=(fonts-wqy-zenhei)
case "${1:-}" in
  --test) packages+=(poppler-utils poppler-data zbar-tools chromium fonts-noto-cjk) ;;
  --bench) packages+=(wrk) ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "需要安装系统软件包：${missing[*]}（请以 root 身份运行 apt-get install）" >&2
  exit 1
fi
echo "安装系统软件包：${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
