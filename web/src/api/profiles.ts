import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type { NewProfile, Profile } from "./types";

export function useProfiles() {
  return useQuery({
    queryKey: queryKeys.profiles,
    queryFn: async () => (await apiRequest<{ profiles: Profile[] }>("/v1/profiles")).profiles,
  });
}

export function useCreateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (profile: NewProfile) =>
      apiRequest<Profile>("/v1/profiles", { method: "POST", body: profile }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.profiles }),
  });
}
