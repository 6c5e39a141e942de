/** Helpers over the types generated from the server's OpenAPI document (see openapi.d.ts). */
import type { paths } from "./openapi";

export type { paths };

type Method = "get" | "put" | "post" | "delete" | "patch";

/** The operation at `P` for `M`, e.g. `Operation<"/v1/leads/{leadId}", "get">`. */
export type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M & keyof paths[P]]>;

/** The JSON body of an operation's `S` answer (200 by default). */
export type ResponseOf<P extends keyof paths, M extends Method, S extends number = 200> =
  Operation<P, M> extends { responses: { [K in S]: { content: { "application/json": infer Body } } } }
    ? Body
    : never;

/** The JSON body an operation takes. */
export type RequestBodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;

/** The item type of an array. */
export type ElementOf<T> = T extends readonly (infer Item)[] ? Item : never;
