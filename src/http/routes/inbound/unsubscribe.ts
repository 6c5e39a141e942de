import formbody from "@fastify/formbody";
import type { FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../../domain/errors.js";
import { unsubscribeByToken, unsubscribeTarget } from "../../../domain/messages/unsubscribe.js";
import type { RegisterRoute } from "../../types.js";

const params = z.object({ token: z.string().min(1).max(200) });

const CHANNEL_NAMES = { email: "emails", sms: "text messages", call: "calls" } as const;

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(html);
}

/** Recipients see a page, not the API's JSON error, when a link is wrong or expired. */
async function orNotFoundPage(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "NOT_FOUND") throw error;
    return sendHtml(
      reply,
      404,
      page("Link not found", "<p>This unsubscribe link is not valid. It may have been mistyped.</p>"),
    );
  }
}

/**
 * Unsubscribe links (not under /v1, the token is the credential). GET only shows a confirmation
 * page because mail scanners follow links; the POST (the page's button, or RFC 8058 one-click
 * with `List-Unsubscribe=One-Click`) is what opts out.
 */
export const unsubscribeRoute: RegisterRoute = (app, { ctx }) => {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    await scope.register(formbody);
    // RFC 8058 prefers multipart/form-data; its content is not needed, only that it was a POST.
    scope.addContentTypeParser(
      "multipart/form-data",
      { parseAs: "buffer", bodyLimit: 65_536 },
      (_r, body, done) => done(null, body),
    );
    scope.get("/unsubscribe/:token", { schema: { hide: true, params } }, async (request, reply) =>
      orNotFoundPage(reply, async () => {
        const target = await unsubscribeTarget(ctx, request.params.token);
        const what = `${CHANNEL_NAMES[target.channel]} to ${escapeHtml(target.contact)}`;
        const text = target.alreadyUnsubscribed
          ? `<p>You are already unsubscribed from ${what}.</p>`
          : `<p>Stop receiving ${what}?</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`;
        return sendHtml(reply, 200, page("Unsubscribe", text));
      }),
    );
    scope.post("/unsubscribe/:token", { schema: { hide: true, params } }, async (request, reply) =>
      orNotFoundPage(reply, async () => {
        const done = await unsubscribeByToken(ctx, request.params.token);
        const what = `${CHANNEL_NAMES[done.channel]} to ${escapeHtml(done.contact)}`;
        return sendHtml(
          reply,
          200,
          page("You are unsubscribed", `<p>You will no longer receive ${what}.</p>`),
        );
      }),
    );
  });
};
