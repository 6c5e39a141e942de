import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "./http";
import { queryKeys } from "./queryKeys";
import type { NewProfile, Profile, ProfileChanges, ProfileDetail } from "./types";

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

export function useProfile(profileId: string) {
  return useQuery({
    queryKey: queryKeys.profile(profileId),
    queryFn: () => apiRequest<ProfileDetail>(`/v1/profiles/${encodeURIComponent(profileId)}`),
  });
}

export function useUpdateProfile(profileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: ProfileChanges) =>
      apiRequest<ProfileDetail>(`/v1/profiles/${encodeURIComponent(profileId)}`, {
        method: "PATCH",
        body: changes,
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.profile(profileId), saved);
      return queryClient.invalidateQueries({ queryKey: queryKeys.profiles, exact: true });
    },
  });
}

export function useDeleteProfile(profileId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiRequest<{ message: string }>(`/v1/profiles/${encodeURIComponent(profileId)}`, { method: "DELETE" }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.profile(profileId) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.profiles, exact: true });
    },
  });
}
