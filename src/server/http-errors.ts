import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { isLeversError, type ErrorCode } from '../core/errors.js';

/** The one place where error codes become HTTP statuses. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  USAGE: 400, INVALID_OPTION: 400, CONFIG_INVALID: 500, NO_DATA: 409, MODEL_FAILED: 422, STORE_ERROR: 500,
};

export interface ApiError {
  error: { code: string; message: string; field?: string };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, field?: string): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(field ? { field } : {}) } } satisfies ApiError);
}

export function sendLeversError(reply: FastifyReply, e: unknown): FastifyReply {
  if (isLeversError(e)) return sendError(reply, STATUS[e.code] ?? 500, e.code, e.message);
  return sendError(reply, 500, 'INTERNAL', 'internal error');
}

/** A 400 that names the field and what to fix. */
export function sendInvalid(reply: FastifyReply, err: z.ZodError, where: 'body' | 'query' = 'body'): FastifyReply {
  const i = err.issues[0]!;
  const field = i.path.map(String).join('.');
  const what = i.code === 'unrecognized_keys' ? `unknown ${where === 'query' ? 'parameter' : 'field'}(s) ${(i as { keys: string[] }).keys.join(', ')}` : i.message;
  return sendError(reply, 400, 'INVALID_REQUEST', `${field || where}: ${what}`, field || undefined);
}
