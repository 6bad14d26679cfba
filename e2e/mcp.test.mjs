// DASH's actions over MCP, as an AI assistant reaches them: the built demo backend (no browser,
// no app bundle) with @backstage/plugin-mcp-actions-backend and the upstream sandbox's demo
// scenario (or, with E2E_APP_URL, a running `npm start`), and the MCP SDK's client on the
// Streamable HTTP endpoint /api/mcp-actions/v1 with a Backstage user token as Bearer:
// - the four DASH tools are listed, read-only, with their input schemas;
// - as the guest, the likely-causes tool ranks the deploy of v2.14.0 first for payments-api's
//   demo incident (the sandbox's ground truth), with links into the DASH tab;
// - as the visitor (a user who may not read payments-api: permission.suite.hidden), every DASH
//   tool refuses payments-api with "No entity … (or you may not read it)" and nothing of its
//   timeline, while the visitor still reads what they may.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  buildAll,
  guestToken,
  startBackstage,
  startUpstreamSandbox,
  waitFor,
  waitForEntity,
} from './lib/backstage.mjs';

const PAYMENTS = 'component:default/payments-api';
const DASH_TOOLS = [
  'dash.get-likely-causes',
  'dash.get-recent-deploys',
  'dash.get-timeline',
  'dash.who-is-on-call',
];

let backstage;
let sandbox;
const clients = [];

before(
  async () => {
    buildAll({ app: false });
    sandbox = await startUpstreamSandbox();
    backstage = await startBackstage({
      extraConfig: sandbox.configFile ? [sandbox.configFile] : [],
    });
    await waitForEntity(backstage.backendUrl, 'component', 'payments-api');
  },
  { timeout: 600_000 },
);

after(async () => {
  for (const client of clients) await client.close().catch(() => {});
  await backstage?.stop();
  await sandbox?.stop();
});

/** A token of the demo's visitor sign-in (auth.providers.visitor): a user in no team. */
async function visitorToken(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/visitor/refresh`);
  if (!res.ok) throw new Error(`visitor sign-in failed: ${res.status}`);
  const { backstageIdentity } = await res.json();
  assert.equal(
    backstageIdentity.identity.userEntityRef,
    'user:default/visitor',
  );
  return backstageIdentity.token;
}

/** An MCP client on the backend's Streamable HTTP endpoint, calling with `token`. */
async function connect(token) {
  const client = new Client({ name: 'dash-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${backstage.backendUrl}/api/mcp-actions/v1`),
      { requestInit: { headers: { Authorization: `Bearer ${token}` } } },
    ),
  );
  clients.push(client);
  return client;
}

/** Calls a tool; answers its structured output, or throws with the tool's error text. */
async function call(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) {
    throw new Error(`${name}: ${result.content?.[0]?.text}`);
  }
  return result.structuredContent ?? JSON.parse(result.content[0].text);
}

/** The sandbox's payments story: its incident and the deploy that caused it. */
async function paymentsStory() {
  const scenario = await (await fetch(`${sandbox.adminUrl}/scenario`)).json();
  const story = scenario.stories.find(s => s.id === 'payments-bad-deploy');
  assert.ok(story?.incident && story.cause, 'the sandbox tells the story');
  assert.equal(story.entityRef, PAYMENTS);
  return {
    story,
    causeId: `github:${story.cause.githubSlug}:deployment:${story.cause.id}`,
  };
}

/**
 * Waits (bounded) until the DASH backend has fetched payments-api's incident and the causing
 * deploy, asking through the timeline tool as an assistant would (the first asks start the
 * refreshes; later ones read what they stored).
 */
async function waitForPaymentsStory(client) {
  const { story, causeId } = await paymentsStory();
  const incidentId = await waitFor(
    'the demo incident and the v2.14.0 deploy on payments-api through dash.get-timeline',
    async () => {
      const { events } = await call(client, 'dash.get-timeline', {
        entityRef: PAYMENTS,
        kinds: ['incident', 'deploy'],
        limit: 200,
      });
      const incident = events.find(
        e =>
          e.kind === 'incident' &&
          e.id.endsWith(`:${story.incident.pagerdutyId}`),
      );
      return incident && events.some(e => e.id === causeId)
        ? incident.id
        : undefined;
    },
    150_000,
    2_000,
  );
  return { story, causeId, incidentId };
}

test(
  'the MCP server lists the four DASH tools, read-only, with their input schemas',
  { timeout: 120_000 },
  async () => {
    const client = await connect(await guestToken(backstage.backendUrl));
    const { tools } = await client.listTools();
    const dash = tools.filter(t => t.name.startsWith('dash.'));
    assert.deepEqual(dash.map(t => t.name).sort(), DASH_TOOLS);
    for (const tool of dash) {
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.equal(tool.annotations?.destructiveHint, false, tool.name);
      assert.ok(tool.description?.trim(), `${tool.name} has a description`);
      assert.equal(tool.inputSchema.type, 'object');
    }
    const causes = dash.find(t => t.name === 'dash.get-likely-causes');
    assert.ok(causes.inputSchema.properties.entityRef);
    assert.ok(causes.inputSchema.properties.eventId);
    assert.deepEqual(causes.inputSchema.required, ['entityRef']);
  },
);

test(
  'as the guest, dash.get-likely-causes ranks the deploy of v2.14.0 first for payments-api’s demo incident',
  { timeout: 240_000 },
  async () => {
    const client = await connect(await guestToken(backstage.backendUrl));
    const { story, incidentId, causeId } = await waitForPaymentsStory(client);

    const answer = await call(client, 'dash.get-likely-causes', {
      entityRef: PAYMENTS,
      eventId: incidentId,
    });
    assert.equal(answer.problem.id, incidentId);
    assert.equal(answer.problem.kind, 'incident');
    assert.equal(answer.verdict, 'ranked');
    const [first] = answer.candidates;
    assert.equal(
      first?.id,
      causeId,
      `the tool ranks "${first?.title}" first, the sandbox says "${story.cause.summary}" caused it`,
    );
    assert.equal(first.rank, 1);
    assert.equal(first.kind, 'deploy');
    assert.match(`${first.version ?? ''} ${first.title}`, /v2\.14\.0/);
    assert.ok(first.reasons.length > 0, 'the first candidate says why');
    assert.ok(first.score > 0 && first.score <= 1);
    // A link that opens the DASH tab of payments-api with the deploy selected.
    const link = new URL(first.dashUrl, backstage.baseUrl);
    assert.equal(link.pathname, '/catalog/default/component/payments-api/dash');
    assert.equal(link.searchParams.get('event'), causeId);
    // The text content carries the same answer for clients that read only text.
    const raw = await client.callTool({
      name: 'dash.get-likely-causes',
      arguments: { entityRef: PAYMENTS, eventId: incidentId },
    });
    assert.equal(JSON.parse(raw.content[0].text).candidates[0].id, causeId);
  },
);

test(
  'as a user who may not read payments-api, every DASH tool refuses it and tells nothing of its timeline',
  { timeout: 240_000 },
  async () => {
    // The data is there: the guest reads it (so a leak would have something to leak).
    const guest = await connect(await guestToken(backstage.backendUrl));
    const { story, incidentId, causeId } = await waitForPaymentsStory(guest);

    const token = await visitorToken(backstage.backendUrl);
    // The catalog itself hides payments-api from the visitor (permission.suite.hidden).
    const entity = await fetch(
      `${backstage.backendUrl}/api/catalog/entities/by-name/component/default/payments-api`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(entity.status, 404);

    const visitor = await connect(token);
    const { tools } = await visitor.listTools();
    assert.deepEqual(
      tools
        .filter(t => t.name.startsWith('dash.'))
        .map(t => t.name)
        .sort(),
      DASH_TOOLS,
      'the visitor is offered the same tools',
    );

    const refused = `NotFoundError: No entity ${PAYMENTS} (or you may not read it)`;
    const calls = [
      ['dash.get-likely-causes', { entityRef: PAYMENTS, eventId: incidentId }],
      ['dash.get-likely-causes', { entityRef: PAYMENTS }],
      ['dash.get-timeline', { entityRef: PAYMENTS }],
      ['dash.who-is-on-call', { entityRef: PAYMENTS }],
      ['dash.get-recent-deploys', { entityRef: PAYMENTS }],
    ];
    for (const [name, args] of calls) {
      const result = await visitor.callTool({ name, arguments: args });
      assert.equal(result.isError, true, `${name} is refused`);
      assert.equal(result.structuredContent, undefined, name);
      assert.deepEqual(
        result.content,
        [{ type: 'text', text: refused }],
        `${name} answers only the refusal`,
      );
      const text = JSON.stringify(result);
      for (const secret of [
        incidentId,
        causeId,
        story.incident.title,
        story.cause.summary,
        'v2.14.0',
      ]) {
        assert.ok(!text.includes(secret), `${name} leaks "${secret}"`);
      }
    }

    // The visitor is a working user: what they may read, the tools answer.
    const ledger = await call(visitor, 'dash.who-is-on-call', {
      entityRef: 'component:default/ledger-service',
    });
    assert.equal(ledger.entityRef, 'component:default/ledger-service');
  },
);
