import type { RegisterRoute } from "../../types.js";
import { createTagRoute } from "./createTag.js";
import { deleteTagRoute } from "./deleteTag.js";
import { listTagsRoute } from "./listTags.js";
import { removeLeadTagsRoute } from "./removeLeadTags.js";
import { replaceLeadTagsRoute } from "./replaceLeadTags.js";
import { updateTagRoute } from "./updateTag.js";

export const tagsRoutes: RegisterRoute[] = [
  listTagsRoute,
  createTagRoute,
  updateTagRoute,
  deleteTagRoute,
  replaceLeadTagsRoute,
  removeLeadTagsRoute,
];
