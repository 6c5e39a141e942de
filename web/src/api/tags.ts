import { useQuery } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type { Tag } from "./types";

/** The org's tags, built-in ones included, by name. */
export function useTags() {
  return useQuery({
    queryKey: queryKeys.tags,
    queryFn: async () => {
      const { tags } = await apiRequest<{ tags: Tag[] }>("/v1/tags");
      return [...tags].sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}
