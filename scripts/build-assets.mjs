#!/usr/bin/env node
// Copies the third-party front-end assets the portal needs from node_modules
// into static/vendor/ (gitignored), so that the portal works on a closed
// network: no CDN. Run with `npm ci && npm run build`.
//
// The directory layout of each package's dist/ is kept, so that the relative
// url() references in the CSS (../fonts/..., ../img/...) resolve. Every file
// the copied CSS refers to is copied and must exist: whitenoise's manifest
// storage refuses to collect a stylesheet that points at a missing file.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

const copied = new Set();

function copy(from, to) {
  if (!existsSync(from)) {
    throw new Error(`Missing asset: ${relative(root, from)} (did you run \`npm ci\`?)`);
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied.add(to);
}

function copyTree(from, to) {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    if (statSync(source).isDirectory()) {
      copyTree(source, target);
    } else {
      copy(source, target);
    }
  }
}

/** Copy a stylesheet and every local file its url() references point at. */
function copyCss(distDir, cssPath, targetDir) {
  const source = join(distDir, cssPath);
  copy(source, join(targetDir, cssPath));
  const css = readFileSync(source, "utf8");
  const references = new Set();
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const url = match[2].trim();
    if (/^(data:|https?:|\/\/|#)/.test(url)) continue;
    references.add(url.split(/[?#]/)[0]);
  }
  for (const url of references) {
    const file = normalize(join(dirname(cssPath), url));
    if (file.startsWith("..")) throw new Error(`${cssPath} points outside dist/: ${url}`);
    copy(join(distDir, file), join(targetDir, file));
  }
  const map = css.match(/sourceMappingURL=([^\s*]+)/);
  if (map) copy(join(distDir, dirname(cssPath), map[1]), join(targetDir, dirname(cssPath), map[1]));
}

function copyJs(distDir, jsPath, targetDir) {
  const source = join(distDir, jsPath);
  copy(source, join(targetDir, jsPath));
  const map = readFileSync(source, "utf8").match(/sourceMappingURL=([^\s*]+)/);
  if (map) copy(join(distDir, dirname(jsPath), map[1]), join(targetDir, dirname(jsPath), map[1]));
}

rmSync(vendor, { recursive: true, force: true });

// Det Fælles Designsystem: the default dkfds.min.css is the neutral theme.
const dkfds = join(modules, "dkfds", "dist");
const dkfdsTarget = join(vendor, "dkfds");
copyCss(dkfds, "css/dkfds.min.css", dkfdsTarget);
copyJs(dkfds, "js/dkfds.min.js", dkfdsTarget);
copyTree(join(dkfds, "img"), join(dkfdsTarget, "img")); // icons, the SVG sprite, logos
copy(join(modules, "dkfds", "LICENSE.md"), join(dkfdsTarget, "LICENSE.md"));

// htmx
const htmx = join(modules, "htmx.org", "dist");
copyJs(htmx, "htmx.min.js", join(vendor, "htmx"));
copy(join(modules, "htmx.org", "LICENSE"), join(vendor, "htmx", "LICENSE"));

const versions = ["dkfds", "htmx.org"]
  .map((name) => `${name} ${JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version}`)
  .join(", ");
console.log(`Copied ${copied.size} files (${versions}) into ${relative(root, vendor)}/`);
