import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import type { ElementOf, RequestBodyOf, ResponseOf } from "./openapiHelpers";
import { queryKeys } from "./queryKeys";

/** A page of `GET /v1/messages`. */
export type MessageList = ResponseOf<"/v1/messages", "get">;

/** A message as `GET /v1/messages` and `POST /v1/messages/{id}/resolve` show it. */
export type Message = ElementOf<MessageList["messages"]>;

export type ResolveBody = RequestBodyOf<"/v1/messages/{messageId}/resolve", "post">;

export type Resolution = ResolveBody["resolution"];

export type ResolveInput = ResolveBody & { messageId: string };

/** The `unknown` messages, newest first; the API pages by `limit` only (no page token). */
export function useUnknownMessages(limit: number) {
  return useQuery({
    queryKey: queryKeys.unknownMessages(limit),
    queryFn: async () =>
      (await apiRequest<MessageList>(`/v1/messages?status=unknown&limit=${limit}`)).messages,
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
