// The console's HTTP side: static UI, a JSON API of actions (thin handlers: request value in, {status, body} out)
// and the SSE timeline stream at /console/events (WHATWG HTML "Server-sent events"). idsim issue #6.

import { join } from 'node:path';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import type { Logger } from '../server/http/logger.ts';
import { IDP_PERSONALITIES } from '../simulator/directory/index.ts';
import { catalogueView, FAULT_FAMILIES } from '../simulator/saml/faults/index.ts';
import { PERSONALITY_LABELS } from '../simulator/scim/personalities.ts';
import { ConsoleError, consoleErrorResponse } from './errors.ts';
import type { LiveSystem } from './live-system.ts';
import { OidcConsole } from './oidc-console.ts';
import { consoleOriginGuard } from './origin-guard.ts';
import { ScenarioPlayer } from './scenarios.ts';
import type { TimelineEntry } from './timeline.ts';

export interface ConsoleOptions {
  system: LiveSystem;
  logger: Logger;
  /** the reference SP's metadata, to switch back to it after driving another target */
  referenceSpMetadata(): Promise<string>;
  /** `host:port` names the console answers on besides loopback ones (origin-guard.ts) */
  allowedHosts?: readonly string[];
}

export interface ConsoleHandle {
  /** mount at `/console` */
  router: Router;
  /** ends open SSE streams (so the HTTP server can close at once) */
  close(): void;
}

interface ActionResult {
  status: number;
  body: unknown;
}

type Action = (body: unknown) => Promise<ActionResult>;

const subject = z.object({ kind: z.enum(['person', 'group']), id: z.string().min(1) });
const role = z.enum(['Super Admin', 'Admin', 'Member', 'Guest']);

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ConsoleError(
      'invalid_input',
      result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

const PUBLIC_DIR = join(import.meta.dirname, 'public');

export function createConsole(options: ConsoleOptions): ConsoleHandle {
  const { system, logger } = options;
  const player = new ScenarioPlayer(system);
  const oidc = new OidcConsole(() => system);
  const streams = new Set<Response>();

  const state = (): ActionResult => ({
    status: 200,
    body: {
      target: system.target(),
      idp: system.idpState(),
      team: system.teamState(),
      scenario: player.progress(),
      oidc: oidc.state(),
    },
  });

  const actions: Record<string, Action> = {
    assign: async (body) => {
      await system.assign(parse(subject, body));
      return state();
    },
    unassign: async (body) => {
      await system.unassign(parse(subject, body));
      return state();
    },
    'push-group': async (body) => {
      const input = parse(
        z.object({
          groupId: z.string().min(1),
          mode: z.enum(['create', 'link']),
          linkTo: z.string().optional(),
          assign: z.boolean().optional(),
        }),
        body,
      );
      return {
        status: 200,
        body: await system.pushGroup(input.groupId, input.mode, input.linkTo || undefined, {
          assign: input.assign === true,
        }),
      };
    },
    'test-credentials': async () => ({ status: 200, body: { check: await system.testCredentials() } }),
    provisioning: async (body) => {
      await system.setProvisioning(parse(z.object({ on: z.boolean() }), body).on);
      return state();
    },
    // issue #13: the IdP personality of the app (console/public/personalities.js)
    'idp-personality': async (body) => {
      await system.setIdpPersonality(parse(z.object({ idp: z.enum(IDP_PERSONALITIES) }), body).idp);
      return { status: 200, body: system.personalityState() };
    },
    'assertion-encryption': async (body) => {
      system.setAssertionEncryption(parse(z.object({ on: z.boolean() }), body).on);
      return state();
    },
    // issue #14: the team signs in over OpenID Connect too (console/public/oidc.js)
    oidc: async (body) => {
      if (system.target().kind !== 'reference') {
        throw new ConsoleError(
          'not_available_for_target',
          'OIDC sign-in is offered for the reference server',
        );
      }
      oidc.setEnabled(parse(z.object({ on: z.boolean() }), body).on);
      return state();
    },
    'oidc-sign-in': async (body) => {
      const input = parse(z.object({ personId: z.string().min(1) }), body);
      return { status: 200, body: { outcome: await oidc.signIn(input.personId) } };
    },
    'sign-in': async (body) => {
      const input = parse(z.object({ personId: z.string().min(1), mode: z.enum(['sp', 'idp']) }), body);
      return { status: 200, body: { outcome: await system.signIn(input.personId, input.mode) } };
    },
    // the Faults panel (public/faults.js): arm the next sign-in to the app with a catalogue fault (one shot)
    'fault-arm': async (body) => {
      const input = parse(z.object({ fault: z.string().min(1), victim: z.string().min(1).optional() }), body);
      const armed = system.simulator.idp.armFault(system.appId, input);
      system.timeline.add({
        kind: 'note',
        title: `Next sign-in carries the fault ${armed.fault}`,
        detail: armed.victim ?? '',
      });
      return { status: 200, body: { armed: system.simulator.idp.armedFor(system.appId) } };
    },
    'fault-disarm': async () => {
      system.simulator.idp.disarm(system.appId);
      return { status: 200, body: { armed: system.simulator.idp.armedFor(system.appId) } };
    },
    'end-session': async (body) => {
      const input = parse(z.object({ personId: z.string().min(1) }), body);
      return { status: 200, body: { ended: await system.endSessions(input.personId) } };
    },
    'auth-method': async (body) => {
      const input = parse(
        z.object({
          methodId: z.string().min(1),
          label: z.string().min(1).optional(),
          enabled: z.boolean().optional(),
          autoAddUsers: z.boolean().optional(),
          allowSha1: z.boolean().optional(),
        }),
        body,
      );
      const { methodId, ...patch } = input;
      system.updateAuthMethod(methodId, patch);
      return state();
    },
    scim: async (body) => {
      system.setScimEnabled(parse(z.object({ enabled: z.boolean() }), body).enabled);
      return state();
    },
    'scim-key': async () => ({ status: 201, body: { key: await system.generateScimKey() } }),
    plan: async (body) => {
      const input = parse(
        z.object({
          plan: z.enum(['Free', 'Basic', 'Professional', 'Enterprise']).optional(),
          licensedSeats: z.number().int().min(0).optional(),
        }),
        body,
      );
      system.updatePlan(input);
      return state();
    },
    'member-role': async (body) => {
      const input = parse(z.object({ accountId: z.string().min(1), role }), body);
      system.setMemberRole(input.accountId, input.role);
      return state();
    },
    invite: async (body) => {
      const input = parse(z.object({ email: z.string().email(), role: role.default('Member') }), body);
      return { status: 201, body: { invite: system.invite(input.email, input.role) } };
    },
    'scenario-start': async (body) => ({
      status: 200,
      body: { scenario: await player.start(parse(z.object({ row: z.string().min(1) }), body).row) },
    }),
    'scenario-next': async () => ({ status: 200, body: { scenario: await player.playNext() } }),
    'scenario-abort': async () => ({ status: 200, body: { scenario: await player.abort() } }),
    target: async (body) => {
      const input = parse(
        z.object({
          kind: z.enum(['reference', 'external']),
          scimBaseUrl: z.string().default(''),
          scimKey: z.string().default(''),
          spMetadataXml: z.string().default(''),
          spLoginUrl: z.string().default(''),
        }),
        body,
      );
      if (input.kind === 'reference') {
        await system.useReferenceTarget(await options.referenceSpMetadata());
      } else {
        await system.useExternalTarget({
          scimBaseUrl: input.scimBaseUrl.replace(/\/+$/, ''),
          scimKey: input.scimKey,
          ...(input.spMetadataXml.trim() ? { spMetadataXml: input.spMetadataXml } : {}),
          ...(input.spLoginUrl.trim() ? { spLoginUrl: input.spLoginUrl.trim() } : {}),
        });
      }
      return state();
    },
  };

  const respond = async (res: Response, run: () => Promise<ActionResult>): Promise<void> => {
    let result: ActionResult;
    try {
      result = await run();
    } catch (error) {
      result = consoleErrorResponse(error, logger);
    }
    res.status(result.status).json(result.body);
  };

  const router = express.Router();
  router.use(consoleOriginGuard(options.allowedHosts));
  router.use(express.json({ limit: '512kb' }));
  router.get('/api/state', (_req, res) => respond(res, async () => state()));
  router.get('/api/scenarios', (_req, res) =>
    respond(res, async () => ({ status: 200, body: player.list() })),
  );
  router.get('/api/personality', (_req, res) =>
    respond(res, async () => ({
      status: 200,
      body: {
        ...system.personalityState(),
        personalities: IDP_PERSONALITIES.map((idp) => ({ idp, label: PERSONALITY_LABELS[idp] })),
      },
    })),
  );
  router.get('/api/faults', (_req, res) =>
    respond(res, async () => ({
      status: 200,
      body: {
        families: FAULT_FAMILIES,
        faults: catalogueView(),
        armed: system.simulator.idp.armedFor(system.appId),
      },
    })),
  );
  router.get('/api/timeline', (_req, res) =>
    respond(res, async () => ({ status: 200, body: system.timeline.list() })),
  );
  router.post('/api/actions/:name', (req: Request, res) =>
    respond(res, () => {
      const action = actions[String(req.params.name)];
      if (action === undefined)
        throw new ConsoleError('invalid_input', `no action ${String(req.params.name)}`);
      return action(req.body);
    }),
  );
  // SSE: every entry so far (oldest first), then each new one as it happens; the browser prepends (newest first).
  router.get('/events', (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const send = (entry: TimelineEntry): void => {
      res.write(`id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`);
    };
    const lastSeen = Number(req.get('Last-Event-ID') ?? 0);
    for (const entry of system.timeline.list()) if (entry.seq > lastSeen) send(entry);
    const unsubscribe = system.timeline.subscribe(send);
    streams.add(res);
    req.on('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  });
  router.use(express.static(PUBLIC_DIR, { index: 'index.html' }));

  return {
    router,
    close() {
      player.close();
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
