/**
 * The reviewers' page as static files read from disk: web/ (index.html, app.js, app.css) and
 * Chart.js's UMD build from node_modules (no CDN: machines may have no internet). Only the files
 * listed once at start (web/'s own files with a plain name) are served, so no request path reaches
 * the file system.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticAssets } from './ports.ts';

export interface DiskAssetsOptions {
  /** Folder with index.html, app.js, app.css (default: the repository's web/). */
  readonly webDir?: string;
  /** Chart.js UMD file (default: chart.js/dist/chart.umd.min.js from node_modules). */
  readonly chartJsFile?: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml',
};

/** The page's own files: a plain lower-case name with a served extension (page modules included). */
const WEB_FILE = /^[a-z0-9][a-z0-9-]*\.(?:html|js|css|svg)$/;

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** The page's request paths (the AWS stack makes exactly these public). */
export function pagePaths(webDir: string = DEFAULT_WEB_DIR): string[] {
  return ['/', ...readdirSync(webDir).filter((name) => WEB_FILE.test(name)).sort().map((name) => `/${name}`), '/vendor/chart.umd.min.js'];
}

/** Request path -> file. */
function fileTable(options: DiskAssetsOptions): Map<string, string> {
  const webDir = options.webDir ?? DEFAULT_WEB_DIR;
  const chartJs = options.chartJsFile ?? join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  return new Map(pagePaths(webDir).map((path): [string, string] => [
    path,
    path === '/vendor/chart.umd.min.js' ? chartJs : join(webDir, path === '/' ? 'index.html' : path.slice(1)),
  ]));
}

/**
 * @example const assets = createDiskAssets(); await assets.get('/app.js');
 */
export function createDiskAssets(options: DiskAssetsOptions = {}): StaticAssets {
  const files = fileTable(options);
  const cache = new Map<string, Promise<{ body: Uint8Array; contentType: string } | undefined>>();
  return {
    get(path: string) {
      const file = files.get(path);
      if (!file) return Promise.resolve(undefined);
      let hit = cache.get(path);
      if (!hit) {
        const ext = file.slice(file.lastIndexOf('.') + 1);
        hit = readFile(file).then(
          (body) => ({ body: new Uint8Array(body), contentType: TYPES[ext] ?? 'application/octet-stream' }),
          () => undefined,
        );
        cache.set(path, hit);
      }
      return hit;
    },
  };
}
