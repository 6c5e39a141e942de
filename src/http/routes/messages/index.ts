import type { RegisterRoute } from "../../types.js";
import { getInboundAddressesRoute } from "./getInboundAddresses.js";
import { listDevOutboxRoute } from "./listDevOutbox.js";
import { listMessagesRoute } from "./listMessages.js";
import { resolveMessageRoute } from "./resolveMessage.js";

export const messageRoutes: RegisterRoute[] = [
  listDevOutboxRoute,
  listMessagesRoute,
  resolveMessageRoute,
  getInboundAddressesRoute,
];
