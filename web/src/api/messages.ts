import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";

/** A message as `GET /v1/messages` and `POST /v1/messages/{id}/resolve` show it. */
export interface Message {
  id: string;
  leadId: string;
  channel: "sms" | "email";
  direction: "outbound" | "inbound";
  status: string;
  text: string;
  subject: string | null;
  segments: number | null;
  followUpStep: number | null;
  dueAt: string | null;
  sentAt: string | null;
  provider: string | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  blockedReason: string | null;
  author: "assistant" | "template" | "person" | "system" | null;
  attempts: number;
  providerCallAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Resolution = "sent" | "failed" | "resend";

export interface ResolveInput {
  messageId: string;
  resolution: Resolution;
  note?: string;
  providerMessageId?: string;
}

/** The `unknown` messages, newest first; the API pages by `limit` only (no page token). */
export function useUnknownMessages(limit: number) {
  return useQuery({
    queryKey: queryKeys.unknownMessages(limit),
    queryFn: async () =>
      (await apiRequest<{ messages: Message[] }>(`/v1/messages?status=unknown&limit=${limit}`)).messages,
    placeholderData: keepPreviousData,
  });
}

export function useResolveMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, ...body }: ResolveInput) =>
      apiRequest<Message>(`/v1/messages/${encodeURIComponent(messageId)}/resolve`, {
        method: "POST",
        body,
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.allMessages }),
        queryClient.invalidateQueries({ queryKey: queryKeys.statsOverview }),
      ]),
  });
}
