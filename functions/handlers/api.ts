/**
 * Lambda entry point of the HTTP API (API Gateway HTTP API, payload format 2.0). For now it
 * answers `GET /health`; the API app (functions/api, its own issue) replaces `route` with its
 * Lambda adapter (e.g. Hono's `handle(app)`), keeping this file's export `handler`.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from './runtime.ts';

type Route = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': statusCode >= 400 ? 'application/problem+json' : 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/** The routes this minimal API answers. */
export const route: Route = async (event) => {
  const method = event.requestContext.http.method;
  const path = event.rawPath;
  if (path === '/health') {
    if (method !== 'GET' && method !== 'HEAD') return json(405, { code: 'METHOD_NOT_ALLOWED', message: `use GET ${path}` });
    return json(200, { status: 'ok', service: 'dmbs-api' });
  }
  return json(404, { code: 'NOT_FOUND', message: `no route for ${method} ${path}` });
};

export const handler: Route = async (event) => {
  try {
    return await route(event);
  } catch (e) {
    logger.error('request failed', e as Error);
    return json(500, { code: 'INTERNAL', message: 'internal error; the operators have the details' });
  }
};
