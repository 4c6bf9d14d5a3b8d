// Builds CloudConnexa ErrorResponse bodies (api-facts A.6) for every non-2xx JSON answer.
// Invariant: every error body the simulator sends (except the empty-body 429 of A.5) has exactly
// the keys errorDetails, errorMessage and statusError.
import { STATUS_CODES } from 'node:http';
import type { ErrorDetail, ErrorResponse } from './types.js';

/** `Bad Request` → `BAD_REQUEST` (Spring HttpStatus names). */
export function statusName(status: number): string {
  return (STATUS_CODES[status] ?? 'UNKNOWN').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export function errorResponse(status: number, message: string, details: Record<string, ErrorDetail[]> = {}): ErrorResponse {
  return { errorDetails: details, errorMessage: message, statusError: statusName(status) };
}

export function fieldError(errorCode: string, message: string, params: Record<string, unknown> = {}): ErrorDetail {
  return { errorCode, message, params };
}

/** A 400 naming one invalid query parameter. */
export function badParam(field: string, errorCode: string, message: string, params: Record<string, unknown> = {}): ErrorResponse {
  return errorResponse(400, `Invalid value for parameter '${field}': ${message}`, {
    [field]: [fieldError(errorCode, message, params)],
  });
}
