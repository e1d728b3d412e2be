#!/usr/bin/env bash
# Installs what the real-VS-Code tests need (idempotent): Debian chromium, ripgrep, libkrb5-dev,
# a Chinese font (the zh-cn screenshots),
# and code-server (a real VS Code) built from the npm registry into the ignored .vscode-test/.
#
# Reaches only the npm registry and Debian's packages. Writes only to the project (.vscode-test/,
# node_modules/) and to a temp folder it removes; apt-get installs system packages when missing.
# SHAPE_LENS_VSCODE_CACHE moves the cache folder (default: <repo>/.vscode-test).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${SHAPE_LENS_VSCODE_CACHE:-$ROOT/.vscode-test}"
CODE_SERVER_VERSION="4.96.4"            # VS Code 1.96.4; later versions need Node 24
PROXY_AGENT_VERSION="0.27.0"            # replaces the git dependency in code-server's shrinkwrap
CODE_SERVER_HOME="$CACHE/code-server-$CODE_SERVER_VERSION"
STAMP="$CODE_SERVER_HOME/.installed"
START=$SECONDS

log() { printf '[setup] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run may hold the lock: wait for it (up to 15 min) instead of failing.
  local apt=($sudo apt-get -o DPkg::Lock::Timeout=900 -q)
  if ! compgen -G "/var/lib/apt/lists/*_Packages*" > /dev/null; then
    "${apt[@]}" update
  fi
  if ! "${apt[@]}" install -y "$@"; then
    log "install failed; refreshing the package lists and retrying"
    local try
    for try in 1 2 3 4 5; do
      "${apt[@]}" update && break
      log "apt-get update failed (try $try); waiting for the lists lock"
      sleep 20
    done
    "${apt[@]}" install -y "$@"
  fi
}

missing=()
for pkg in chromium ripgrep libkrb5-dev python3 make g++ fonts-wqy-microhei; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2> /dev/null || true)" != "installed" ]; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt_install "${missing[@]}"
else
  log "Debian packages present: chromium ripgrep libkrb5-dev fonts-wqy-microhei"
fi

# --- the project's own dev dependencies (playwright-core, @vscode/vsce, @vscode/test-electron) -
if ! (cd "$ROOT" && node -e 'for (const m of ["playwright-core", "@vscode/vsce", "@vscode/test-electron", "mocha"]) require.resolve(m)' 2> /dev/null); then
  log "node_modules incomplete: npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
fi

# --- code-server -----------------------------------------------------------------------------
if [ -f "$STAMP" ] && [ -f "$CODE_SERVER_HOME/node_modules/code-server/out/node/entry.js" ]; then
  log "code-server $CODE_SERVER_VERSION cached in ${CODE_SERVER_HOME#"$ROOT"/}"
else
  log "installing code-server $CODE_SERVER_VERSION into ${CODE_SERVER_HOME#"$ROOT"/} (about 2 min cold)"
  TMP="$(mktemp -d -t shape-lens-setup.XXXXXX)"
  trap 'rm -rf "$TMP"' EXIT
  # Keep npm's cache, logs and node-gyp's files out of $HOME; build native modules against the
  # installed Node headers instead of downloading them.
  export npm_config_cache="$TMP/npm-cache" npm_config_nodedir=/usr
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  export XDG_CACHE_HOME="$TMP/cache" XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data"
  rm -rf "$CODE_SERVER_HOME"
  mkdir -p "$CODE_SERVER_HOME"
  cd "$CODE_SERVER_HOME"
  printf '{ "name": "shape-lens-code-server", "private": true }\n' > package.json

  # 1. code-server without its postinstall (which would fail here), then its password hasher.
  npm install "code-server@$CODE_SERVER_VERSION" --ignore-scripts > /dev/null
  npm rebuild argon2 > /dev/null
  CS="$CODE_SERVER_HOME/node_modules/code-server"

  # 2. Point the git dependency @vscode/proxy-agent at the registry tarball (same integrity).
  TARBALL="$(npm view "@vscode/proxy-agent@$PROXY_AGENT_VERSION" dist.tarball)"
  node -e '
    const fs = require("fs");
    const [file, tarball] = process.argv.slice(1);
    const shrinkwrap = JSON.parse(fs.readFileSync(file, "utf8"));
    const entry = shrinkwrap.packages["node_modules/@vscode/proxy-agent"];
    if (!entry) throw new Error("no @vscode/proxy-agent entry in " + file);
    entry.resolved = tarball;
    fs.writeFileSync(file, JSON.stringify(shrinkwrap, null, 2) + "\n");
  ' "$CS/lib/vscode/npm-shrinkwrap.json" "$TARBALL"

  # 3. VS Code's server dependencies; compile the native ones; use Debian's ripgrep.
  cd "$CS/lib/vscode"
  npm install --omit=dev --ignore-scripts > /dev/null
  npm rebuild @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty > /dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg

  # 4. The rest of code-server's postinstall.sh, by hand.
  ln -sfn node_modules node_modules.asar
  ln -sfn code-linux.sh bin/remote-cli/code-server
  ln -sfn browser-linux.sh bin/helpers/browser.sh
  (cd extensions && npm install --omit=dev > /dev/null)

  node "$CS/out/node/entry.js" --version > /dev/null
  date -u +%FT%TZ > "$STAMP"
  log "code-server installed in $((SECONDS - START)) s"
fi

log "ready in $((SECONDS - START)) s: $(chromium --version 2> /dev/null | head -1), code-server $CODE_SERVER_VERSION"
