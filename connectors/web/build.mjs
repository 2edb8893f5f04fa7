// Build the static folder the API serves at /static: the NL Design System (Utrecht) CSS from npm
// (design tokens + components) and our own CSS and JavaScript from src/. No bundler is needed:
// the files are copied, and a manifest lists them with a content hash for cache busting.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
const pkg = (name) => JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8"));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const tokens = readFileSync(join(here, "node_modules/@utrecht/design-tokens/dist/theme.css"), "utf8");
const components = readFileSync(join(here, "node_modules/@utrecht/component-library-css/dist/index.css"), "utf8");
const header =
  `/* NL Design System: @utrecht/design-tokens ${pkg("@utrecht/design-tokens").version}, ` +
  `@utrecht/component-library-css ${pkg("@utrecht/component-library-css").version} (EUPL-1.2) */\n`;
writeFileSync(join(out, "utrecht.css"), header + tokens + "\n" + components);

for (const name of readdirSync(join(here, "src"))) {
  copyFileSync(join(here, "src", name), join(out, name));
}

// The OpenAPI page (/docs) uses Swagger UI from npm too, started by our own script (no inline script).
mkdirSync(join(out, "swagger"));
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(here, "node_modules/swagger-ui-dist", name), join(out, "swagger", name));
}

const manifest = {};
for (const name of readdirSync(out).sort().filter((n) => n.includes("."))) {
  manifest[name] = createHash("sha256").update(readFileSync(join(out, name))).digest("hex").slice(0, 12);
}
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`web: ${Object.keys(manifest).length} bestanden in ${out}`);
