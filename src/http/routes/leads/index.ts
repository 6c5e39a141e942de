import type { RegisterRoute } from "../../types.js";
import { addContextRoute } from "./addContext.js";
import { createLeadRoute } from "./createLead.js";
import { deleteLeadRoute } from "./deleteLead.js";
import { doNotContactRoute } from "./doNotContact.js";
import { getLeadRoute } from "./getLead.js";
import { importLeadsRoute } from "./importLeads.js";
import { importLeadsJobRoute } from "./importLeadsJob.js";
import { listLeadsRoute } from "./listLeads.js";
import { listLeadTimelineRoute } from "./listLeadTimeline.js";
import { lookupLeadRoute } from "./lookupLead.js";
import { searchLeadsRoute } from "./searchLeads.js";
import { sendMessageRoute } from "./sendMessage.js";
import { switchCustomerProfileRoute } from "./switchCustomerProfile.js";
import { updateLeadRoute } from "./updateLead.js";

export const leadRoutes: RegisterRoute[] = [
  createLeadRoute,
  importLeadsRoute,
  importLeadsJobRoute,
  listLeadsRoute,
  lookupLeadRoute,
  searchLeadsRoute,
  getLeadRoute,
  updateLeadRoute,
  deleteLeadRoute,
  addContextRoute,
  listLeadTimelineRoute,
  sendMessageRoute,
  switchCustomerProfileRoute,
  doNotContactRoute,
];
