import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { z } from "zod";

/** The parts of a Chat Completions request tests look at; the rest is kept (loose objects). */
const chatRequestSchema = z
  .object({
    model: z.string(),
    messages: z.array(
      z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown()), z.null()]) }).loose(),
    ),
    response_format: z
      .object({
        type: z.string(),
        json_schema: z
          .object({
            name: z.string(),
            strict: z.boolean().optional(),
            schema: z.record(z.string(), z.unknown()),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type FakeChatRequestBody = z.infer<typeof chatRequestSchema>;

/** One request as the fake received it. */
export interface FakeOpenAiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body as a Chat Completions request; null when it is not one (the fake then answers 400). */
  body: FakeChatRequestBody | null;
  receivedAt: Date;
}

/**
 * A scripted answer: `json` is the model's answer (sent as the message content, JSON-encoded),
 * `raw` is message content sent as is (malformed answers), `status` an HTTP error, `hang` no
 * answer at all until the client gives up or the fake closes.
 */
export type FakeOpenAiResponse =
  | { kind: "json"; content: object }
  | { kind: "raw"; content: string }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: "hang" };

/** Answers when the queue is empty; `index` counts every chat request so far, from 0. */
export type FakeOpenAiResponder = (request: FakeOpenAiRequest, index: number) => FakeOpenAiResponse;

export interface FakeOpenAi {
  /** What a client is configured with: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: FakeOpenAiRequest[];
  /** Queues answers, used first in, first out, before the default responder. */
  enqueue(...responses: FakeOpenAiResponse[]): void;
  respondWith(responder: FakeOpenAiResponder): void;
  close(): Promise<void>;
}

const CHAT_PATH = "/v1/chat/completions";

function error(status: number, message: string, type: string): FakeOpenAiResponse {
  return { kind: "status", status, body: { error: { message, type, param: null, code: null } } };
}

const nothingScripted: FakeOpenAiResponder = () =>
  error(500, "fake OpenAI: no response scripted for this request", "server_error");

/** OpenAI's error bodies, for a status script without a body of its own. */
function defaultErrorBody(status: number): unknown {
  const [message, type] =
    status === 429
      ? ["Rate limit reached for requests", "requests"]
      : ["The server had an error", "server_error"];
  return { error: { message, type, param: null, code: status === 429 ? "rate_limit_exceeded" : null } };
}

function completion(model: string, content: string): object {
  const promptTokens = 120;
  const completionTokens = Math.max(1, Math.ceil(content.length / 4));
  return {
    id: `chatcmpl-${randomBytes(12).toString("hex")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: "fp_fake",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

function parseBody(rawBody: string): FakeChatRequestBody | null {
  try {
    const parsed = chatRequestSchema.safeParse(JSON.parse(rawBody));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, {
      "content-type": "application/json",
      "x-request-id": randomBytes(8).toString("hex"),
      ...headers,
    })
    .end(JSON.stringify(body));
}

/** A real HTTP server on loopback speaking the Chat Completions protocol from a script. */
export async function startFakeOpenAi(
  options: { responder?: FakeOpenAiResponder } = {},
): Promise<FakeOpenAi> {
  const requests: FakeOpenAiRequest[] = [];
  const queue: FakeOpenAiResponse[] = [];
  const hanging = new Set<ServerResponse>();
  let responder = options.responder ?? nothingScripted;
  let chatRequests = 0;

  const answer = (res: ServerResponse, request: FakeOpenAiRequest, response: FakeOpenAiResponse) => {
    const model = request.body?.model ?? "fake-model";
    switch (response.kind) {
      case "json":
        return send(res, 200, completion(model, JSON.stringify(response.content)));
      case "raw":
        return send(res, 200, completion(model, response.content));
      case "status":
        return send(
          res,
          response.status,
          response.body ?? defaultErrorBody(response.status),
          response.headers,
        );
      case "hang":
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
    }
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://fake-openai").pathname;
    const request: FakeOpenAiRequest = {
      method: req.method ?? "",
      path,
      headers: req.headers,
      rawBody,
      body: parseBody(rawBody),
      receivedAt: new Date(),
    };
    requests.push(request);
    if (path !== CHAT_PATH) {
      return answer(res, request, error(404, `Unknown path ${path}`, "invalid_request_error"));
    }
    if (request.method !== "POST") {
      return answer(res, request, error(405, "Use POST", "invalid_request_error"));
    }
    if (request.body === null) {
      return answer(res, request, error(400, "Not a chat completions request", "invalid_request_error"));
    }
    const index = chatRequests++;
    answer(res, request, queue.shift() ?? responder(request, index));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake OpenAI: no TCP address");
  const { port } = address;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    respondWith: (next) => {
      responder = next;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
