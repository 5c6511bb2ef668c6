import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pageSections } from '../../src/node/site/page-sections.ts';
import { pageUrl, readSite } from '../../src/node/site/read-site.ts';

const PAGE = `<!doctype html>
<html><head><title>Install · Docs</title><style>body { color: red }</style></head>
<body>
  <header><a href="/">Site name</a></header>
  <nav><ul><li><a href="/a">Menu entry</a></li></ul></nav>
  <main>
    <h1>Install</h1>
    <p>How to install the thing.</p>
    <div data-tabembed-ignore><p>Edit this page on GitHub</p></div>
    <h2 id="npm">From npm</h2>
    <p>Run <code>npm install thing</code>.</p>
    <ul><li>first</li><li>second</li></ul>
    <h3><a id="yarn-too"></a>With yarn</h3>
    <p>Or yarn add thing.</p>
    <h2 id="cdn">From a CDN</h2>
    <script>console.log('never text')</script>
    <p>Use a script tag.</p>
  </main>
  <footer>© someone</footer>
</body></html>`;

describe('pageSections: one built page → its sections, cut at headings', () => {
  it('keeps main content in sections under their heading trail, leaving out chrome, scripts and ignored parts', () => {
    const { title, sections } = pageSections(PAGE);
    expect(title).toBe('Install · Docs');
    expect(sections).toEqual([
      { heading: 'Install', headings: ['Install'], text: 'How to install the thing.' },
      {
        heading: 'From npm',
        anchor: 'npm',
        headings: ['Install', 'From npm'],
        text: 'Run npm install thing.\nfirst\nsecond',
      },
      {
        heading: 'With yarn',
        anchor: 'yarn-too',
        headings: ['Install', 'From npm', 'With yarn'],
        text: 'Or yarn add thing.',
      },
      { heading: 'From a CDN', anchor: 'cdn', headings: ['Install', 'From a CDN'], text: 'Use a script tag.' },
    ]);
  });

  it('reads only the element marked data-tabembed-body when there is one, and the text before the first heading too', () => {
    const { sections } = pageSections(
      '<body><main><p>Main but not marked</p><div data-tabembed-body><p>Intro</p><h2>Part</h2><p>Body</p></div></main></body>',
    );
    expect(sections).toEqual([
      { headings: [], text: 'Intro' },
      { heading: 'Part', headings: ['Part'], text: 'Body' },
    ]);
  });

  it('falls back to <body> without <main>, and to the first heading for a page without <title>', () => {
    expect(pageSections('<body><nav>menu</nav><h1>Only</h1><p>text</p></body>')).toEqual({
      title: 'Only',
      sections: [{ heading: 'Only', headings: ['Only'], text: 'text' }],
    });
  });

  it('gives no section for a page whose <body> or <html> is marked data-tabembed-ignore', () => {
    expect(pageSections('<body data-tabembed-ignore><main><p>404</p></main></body>').sections).toEqual([]);
    expect(pageSections('<html data-tabembed-ignore><body><p>draft</p></body></html>').sections).toEqual([]);
  });
});

describe('readSite: a built site folder → search items', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const site = (files: Record<string, string>): string => {
    dir = mkdtempSync(join(tmpdir(), 'tabembed-site-'));
    for (const [path, html] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), html);
    }
    return dir;
  };

  it('links each section to its page or its #fragment, as a static host serves the page, in path order', async () => {
    const folder = site({
      'index.html': '<title>Home</title><main><p>Welcome home.</p></main>',
      'docs/install/index.html': PAGE,
      'about.html':
        '<title>About us</title><main><h2 id="team">Team</h2><p>We are few.</p><h2 id="team">Team</h2><p>Again.</p></main>',
      'style.css': 'main { color: blue }',
    });
    const items = await readSite(folder, '/site');
    expect(items.map((i) => i.id)).toEqual([
      '/site/about.html#team',
      '/site/about.html#team~2',
      '/site/docs/install/',
      '/site/docs/install/#npm',
      '/site/docs/install/#yarn-too',
      '/site/docs/install/#cdn',
      '/site/',
    ]);
    expect(items[3]).toEqual({
      id: '/site/docs/install/#npm',
      url: '/site/docs/install/#npm',
      title: 'Install · Docs',
      headings: ['Install', 'From npm'],
      text: 'Install › From npm\nRun npm install thing.\nfirst\nsecond',
    });
    expect(items[6]).toEqual({ id: '/site/', url: '/site/', title: 'Home', headings: [], text: 'Welcome home.' });
  });

  it('refuses a path that is not a folder, and a site with no text, as SOURCE_INVALID naming the folder', async () => {
    await expect(readSite('/nonexistent/site')).rejects.toMatchObject({
      code: 'SOURCE_INVALID',
      message: expect.stringContaining('/nonexistent/site'),
    });
    const folder = site({ 'index.html': '<body data-tabembed-ignore><p>draft</p></body>', 'a.txt': 'not html' });
    await expect(readSite(folder)).rejects.toMatchObject({
      code: 'SOURCE_INVALID',
      message: expect.stringContaining(folder),
    });
  });

  it('maps file paths to the URLs a static host gives them', () => {
    expect(pageUrl('/', 'index.html')).toBe('/');
    expect(pageUrl('/', 'a b/index.html')).toBe('/a%20b/');
    expect(pageUrl('/docs/', 'guide.html')).toBe('/docs/guide.html');
  });
});
