// Test harness: the control router alone on an express app bound to 127.0.0.1:0, plus a capturing logger,
// so router tests talk real HTTP without the rest of the server (server/http/app.ts is tested separately).
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { LogFields, Logger } from '../../http/logger.ts';
import type { ControlService } from '../port.ts';
import { CONTROL_BASE_PATH, createControlRouter } from '../router.ts';

export const TEST_CONTROL_TOKEN = 'test-control-token';

export interface CapturedLog {
  level: 'error' | 'info';
  message: string;
  fields: LogFields;
}

export function capturingLogger(): Logger & { entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  return {
    entries,
    error: (message, fields = {}) => entries.push({ level: 'error', message, fields }),
    info: (message, fields = {}) => entries.push({ level: 'info', message, fields }),
  };
}

export interface ControlHarness {
  controlUrl: string;
  close(): Promise<void>;
  /** fetch relative to the control base URL with the control token (and actor, when given) set */
  call(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      rawBody?: string;
      actor?: string;
      token?: string | null;
      contentType?: string;
    },
  ): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
}

export async function startControlHarness(
  service: ControlService,
  options: { logger?: Logger; maxBodyBytes?: number } = {},
): Promise<ControlHarness> {
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(
    CONTROL_BASE_PATH,
    createControlRouter(service, {
      controlToken: TEST_CONTROL_TOKEN,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    }),
  );
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const controlUrl = `http://127.0.0.1:${port}${CONTROL_BASE_PATH}`;
  return {
    controlUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    async call(method, path, callOptions = {}) {
      const headers: Record<string, string> = {};
      const token = callOptions.token === undefined ? TEST_CONTROL_TOKEN : callOptions.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (callOptions.actor !== undefined) headers['x-idsim-actor'] = callOptions.actor;
      let payload: string | undefined;
      if (callOptions.rawBody !== undefined) payload = callOptions.rawBody;
      else if (callOptions.body !== undefined) payload = JSON.stringify(callOptions.body);
      if (payload !== undefined) headers['content-type'] = callOptions.contentType ?? 'application/json';
      const response = await fetch(`${controlUrl}${path}`, { method, headers, body: payload });
      const text = await response.text();
      let body: unknown = null;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      return { status: response.status, headers: response.headers, body, text };
    },
  };
}
