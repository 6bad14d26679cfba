/*
 * Repository files: GET /repos/{owner}/{repo}/contents/{path} (a file as base64 `content` with
 * its git blob sha, a directory as an array of entries, 404 when absent; `ref` may name the
 * default branch, a tag or a commit; `Accept: application/vnd.github.raw` answers the bare
 * file), and GET /repos/{owner}/{repo}/languages. The ETag, the free 304 and the rate limit are
 * the upstream's (see around() in ../github.ts).
 */
import crypto from 'node:crypto';
import { Ctx, HttpError, Reply, RouteDef } from '../../http/server';
import { RepoEntry } from '../../scenario/repos';
import { GitHubKit, ghError, notFound } from './kit';
import { resolveRef } from './refs';

/** Git's blob id: sha1 of 'blob <size>\0<content>'. */
export function gitBlobSha(content: Buffer): string {
  return crypto
    .createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

/** base64 in lines of 60 characters, each ending with a newline, as GitHub writes `content`. */
function wrappedBase64(content: Buffer): string {
  const b64 = content.toString('base64');
  return b64 ? `${b64.match(/.{1,60}/g)!.join('\n')}\n` : '';
}

export function contentRoutes(kit: GitHubKit): RouteDef[] {
  const { store } = kit;

  function entryOr404(ctx: Ctx): RepoEntry {
    const { data } = kit.repoOr404(ctx);
    const entry = store.repos.entry(ctx.params.owner, ctx.params.repo);
    if (!entry) throw notFound();
    const ref = ctx.query.get('ref');
    if (
      ref &&
      !resolveRef(data, entry.facts.defaultBranch, ref, store.asOf())
    ) {
      throw new HttpError(ghError(404, `No commit found for the ref ${ref}`));
    }
    return entry;
  }

  /** The URLs of an item at a ref. */
  function links(ctx: Ctx, entry: RepoEntry, path: string) {
    const f = entry.facts;
    const ref = ctx.query.get('ref') || f.defaultBranch;
    const api = `${ctx.baseUrl}/repos/${f.fullName}`;
    return {
      ref,
      api,
      url: `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`,
      name: path.slice(path.lastIndexOf('/') + 1),
    };
  }

  function dirItem(ctx: Ctx, entry: RepoEntry, path: string) {
    const { ref, api, url, name } = links(ctx, entry, path);
    const fullName = entry.facts.fullName;
    const sha = crypto
      .createHash('sha1')
      .update(`tree ${fullName}/${path}`)
      .digest('hex');
    const git = `${api}/git/trees/${sha}`;
    const html = `https://github.com/${fullName}/tree/${ref}/${path}`;
    return {
      name,
      path,
      sha,
      size: 0,
      url,
      html_url: html,
      git_url: git,
      download_url: null,
      type: 'dir',
      _links: { self: url, git, html },
    };
  }

  function fileItem(ctx: Ctx, entry: RepoEntry, path: string) {
    const { ref, api, url, name } = links(ctx, entry, path);
    const fullName = entry.facts.fullName;
    const buf = Buffer.from(store.repos.files(entry).get(path)!(), 'utf8');
    const sha = gitBlobSha(buf);
    const git = `${api}/git/blobs/${sha}`;
    const html = `https://github.com/${fullName}/blob/${ref}/${path}`;
    const item = {
      name,
      path,
      sha,
      size: buf.length,
      url,
      html_url: html,
      git_url: git,
      download_url: `https://raw.githubusercontent.com/${fullName}/${ref}/${path}`,
      type: 'file',
      _links: { self: url, git, html },
    };
    return { item, buf };
  }

  function contents(ctx: Ctx, rawPath: string): Reply {
    const entry = entryOr404(ctx);
    const path = rawPath.replace(/^\/+|\/+$/g, '');
    const files = entry.facts.files;
    if (path && files.includes(path)) {
      const { item, buf } = fileItem(ctx, entry, path);
      const accept = String(ctx.req.headers.accept ?? '');
      if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
        return {
          status: 200,
          text: buf.toString('utf8'),
          headers: {
            'content-type': 'application/vnd.github.raw; charset=utf-8',
            'x-github-media-type': 'github.v3; param=raw',
          },
        };
      }
      return {
        status: 200,
        body: { ...item, content: wrappedBase64(buf), encoding: 'base64' },
      };
    }
    // A directory: the files and folders right below it, sorted by name.
    const prefix = path ? `${path}/` : '';
    const children = new Map<string, boolean>();
    for (const p of files) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf('/');
      const child = slash < 0 ? rest : rest.slice(0, slash);
      children.set(child, slash >= 0 || children.get(child) === true);
    }
    if (!children.size) throw notFound();
    const list = [...children.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([child, isDir]) =>
        isDir
          ? dirItem(ctx, entry, prefix + child)
          : fileItem(ctx, entry, prefix + child).item,
      );
    return { status: 200, body: list };
  }

  return [
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/contents',
      handler: ctx => contents(ctx, ''),
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/contents/{+path}',
      handler: ctx => contents(ctx, ctx.params.path),
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/languages',
      handler: ctx => {
        kit.repoOr404(ctx);
        const entry = store.repos.entry(ctx.params.owner, ctx.params.repo);
        if (!entry) throw notFound();
        return { status: 200, body: entry.facts.languages };
      },
    },
  ];
}
