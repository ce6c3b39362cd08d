// Writes `licences.json` into the built UI: every third-party component that
// ships inside MRC Desk with its licence and the licence texts it carries.
// Generated at each build, so the About screen can never fall behind the
// dependencies: the Rust crates from `cargo metadata` (what the desktop
// binary links, for this platform), the npm packages from the modules that
// actually ended up in the UI's bundle (not everything in node_modules), and
// the fonts the printed documents embed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import type { LicenceNotices, ThirdPartyComponent } from './src/lib/licences';

const ROOT = resolve(import.meta.dirname, '..');
const SHELL_CRATE = 'mrc-desk';
const LICENCE_FILE = /^(licen[cs]e|copying|notice|copyright)([-._].*)?$/i;

/** Collects components and stores each distinct licence text once. */
class Notices {
  private components = new Map<string, ThirdPartyComponent>();
  private texts: string[] = [];
  private textIndex = new Map<string, number>();

  add(kind: ThirdPartyComponent['kind'], name: string, version: string, licence: string, home: string, dir: string, extraFiles: string[] = []) {
    const key = `${kind}:${name}@${version}`;
    if (this.components.has(key)) return;
    const files = [...new Set([...licenceFiles(dir), ...extraFiles])];
    this.components.set(key, { kind, name, version, licence, home, texts: files.map((f) => this.text(readFileSync(f, 'utf8'))) });
  }

  private text(content: string): number {
    const body = content.replace(/\r\n/g, '\n').trim();
    let i = this.textIndex.get(body);
    if (i === undefined) {
      i = this.texts.push(body) - 1;
      this.textIndex.set(body, i);
    }
    return i;
  }

  toJSON(): LicenceNotices {
    const components = [...this.components.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
    return { components, texts: this.texts };
  }
}

function licenceFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => LICENCE_FILE.test(f) && statSync(join(dir, f)).isFile())
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

interface CargoPackage { id: string; name: string; version: string; license: string | null; license_file: string | null; manifest_path: string; repository: string | null; homepage: string | null }
interface CargoNode { id: string; deps: { pkg: string; dep_kinds: { kind: string | null }[] }[] }

/** The crates the desktop binary is built from: normal dependencies of the shell, transitively, for this platform. */
function addRustCrates(notices: Notices) {
  const host = /host: (\S+)/.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf8' }))?.[1];
  if (!host) throw new Error('licences: rustc -vV did not name the host platform');
  const meta = JSON.parse(
    execFileSync('cargo', ['metadata', '--format-version', '1', '--locked', '--filter-platform', host, '--manifest-path', join(ROOT, 'Cargo.toml')], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    }),
  ) as { packages: CargoPackage[]; workspace_members: string[]; resolve: { nodes: CargoNode[] } };
  const packages = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const ours = new Set(meta.workspace_members);
  const shell = meta.packages.find((p) => p.name === SHELL_CRATE && ours.has(p.id));
  if (!shell) throw new Error(`licences: the ${SHELL_CRATE} crate is not in the workspace`);

  const seen = new Set<string>();
  const queue = [shell.id];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of nodes.get(id)?.deps ?? []) {
      if (dep.dep_kinds.some((k) => k.kind === null)) queue.push(dep.pkg);
    }
  }
  for (const id of seen) {
    if (ours.has(id)) continue;
    const p = packages.get(id)!;
    const dir = dirname(p.manifest_path);
    const extra = p.license_file ? [resolve(dir, p.license_file)] : [];
    notices.add('rust', p.name, p.version, p.license ?? (p.license_file ? 'see the licence text' : 'not stated'), p.repository ?? p.homepage ?? '', dir, extra);
  }
}

/** The npm package a bundled module belongs to, found from its path. */
function npmPackageDir(moduleId: string): string | null {
  const path = moduleId.replace(/^\0/, '').split('?')[0];
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const rest = path.slice(at + '/node_modules/'.length).split('/');
  const depth = rest[0].startsWith('@') ? 2 : 1;
  return path.slice(0, at + '/node_modules/'.length) + rest.slice(0, depth).join('/');
}

function addNpmPackage(notices: Notices, dir: string) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'not stated');
  const repo = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? pkg.homepage ?? '');
  notices.add('npm', pkg.name, pkg.version, licence, repo, dir);
}

function addFonts(notices: Notices) {
  const fonts = join(ROOT, 'assets', 'fonts');
  // The version is the one the font files name (their "Version 2.37" string).
  notices.add('font', 'DejaVu Sans', '2.37', 'Bitstream Vera Fonts licence; DejaVu changes in the public domain', 'https://dejavu-fonts.github.io', fonts);
}

export function licences(): Plugin {
  return {
    name: 'mrc-licences',
    apply: 'build',
    generateBundle(_options, bundle) {
      // SvelteKit builds the pages twice (server side for prerendering, then
      // the client); only the client's modules ship in the app.
      if (this.environment.name !== 'client') return;
      const notices = new Notices();
      addRustCrates(notices);
      const dirs = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of Object.keys(chunk.modules)) {
          const dir = npmPackageDir(id);
          if (dir) dirs.add(dir);
        }
      }
      for (const dir of dirs) addNpmPackage(notices, dir);
      addFonts(notices);
      this.emitFile({ type: 'asset', fileName: 'licences.json', source: JSON.stringify(notices.toJSON()) });
    },
  };
}
