import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  ERROR_CODES,
  isLeversError,
  LeversError,
  zodProblem,
  type ErrorCode,
  type ErrorDetails,
} from '../core/errors.js';

/** The error envelope every failed request gets. */
export interface ApiError {
  error: { code: string; message: string; field?: string };
}

/** Sends a catalogue error: its status and message come from the one catalogue. */
export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  details: ErrorDetails = {},
  field?: string,
): FastifyReply {
  const e = new LeversError(code, details);
  return reply
    .code(ERROR_CODES[code].status)
    .send({ error: { code, message: e.message, ...(field ? { field } : {}) } } satisfies ApiError);
}

/**
 * A thrown error as a response: codes from the catalogue, anything else a plain 500 with no detail leaked.
 */
export function sendLeversError(reply: FastifyReply, e: unknown): FastifyReply {
  if (!isLeversError(e)) return sendError(reply, 'INTERNAL');
  // A use case's option problem is a request problem over HTTP: the option is a query parameter here.
  if (e.code === 'INVALID_OPTION')
    return sendError(
      reply,
      'INVALID_REQUEST',
      { field: String(e.details.option), detail: String(e.details.detail) },
      String(e.details.option),
    );
  // A server fault's details (paths, database messages) go to the log, not to the client.
  const message =
    e.status === 500 ? 'the server could not complete the request; its log says why' : e.message;
  return reply.code(e.status).send({ error: { code: e.code, message } } satisfies ApiError);
}

/** A 400 that names the field and what to fix. */
export function sendInvalid(
  reply: FastifyReply,
  err: z.ZodError,
  where: 'body' | 'query' = 'body',
): FastifyReply {
  const { path, problem } = zodProblem(err, where === 'query' ? 'parameter' : 'field');
  return sendError(reply, 'INVALID_REQUEST', { field: path || where, detail: problem }, path || undefined);
}
