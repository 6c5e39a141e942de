import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type { Session } from "./types";

/** The signed-in session, or `null` when signed out (the server answers 403). */
async function fetchSession(): Promise<Session | null> {
  try {
    return await apiRequest<Session>("/v1/sessions/current");
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: queryKeys.session, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

/** Trades the API key for an HttpOnly session cookie; the key is kept nowhere in the browser. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (apiKey: string) => apiRequest<Session>("/v1/sessions", { method: "POST", body: { apiKey } }),
    onSuccess: (session) => queryClient.setQueryData(queryKeys.session, session),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<unknown>("/v1/sessions/current", { method: "DELETE" }),
    onSuccess: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
      queryClient.setQueryData(queryKeys.session, null);
    },
  });
}
