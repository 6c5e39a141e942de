import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type { NewTag, Tag, TagChanges } from "./types";

const tagPath = (tagId: string) => `/v1/tags/${encodeURIComponent(tagId)}`;

/** The org's tags, built-in ones included, by name. `GET /v1/tags` answers them all at once (no pages). */
export function useTags() {
  return useQuery({
    queryKey: queryKeys.tags,
    queryFn: async () => {
      const { tags } = await apiRequest<{ tags: Tag[] }>("/v1/tags");
      return [...tags].sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}

/** Leads show their tags' names and conditions, so a change to a tag refreshes them too. */
function useInvalidateTags() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.tags }),
      queryClient.invalidateQueries({ queryKey: queryKeys.allLeads }),
      queryClient.invalidateQueries({ queryKey: queryKeys.allLeadDetails }),
    ]);
}

export function useCreateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tag: NewTag) => apiRequest<Tag>("/v1/tags", { method: "POST", body: tag }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tags }),
  });
}

export function useUpdateTag(tagId: string) {
  const invalidate = useInvalidateTags();
  return useMutation({
    mutationFn: (changes: TagChanges) => apiRequest<Tag>(tagPath(tagId), { method: "PATCH", body: changes }),
    onSuccess: invalidate,
  });
}

/** Deleting a manual tag also takes it off every lead. */
export function useDeleteTag() {
  const invalidate = useInvalidateTags();
  return useMutation({
    mutationFn: (tagId: string) => apiRequest<{ message: string }>(tagPath(tagId), { method: "DELETE" }),
    onSuccess: invalidate,
  });
}
