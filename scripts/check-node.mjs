// Fails fast when npm scripts are not running on the pinned Node (the `node`
// devDependency puts Node 24 first on PATH inside npm scripts).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Node ${process.version} is too old: Astro and Vitest need >= 22.12.\n` +
      'Run `npm ci` first so the pinned `node` devDependency (Node 24) is installed; npm scripts then use it.',
  );
  process.exit(1);
}
console.log(`node ${process.version}`);
