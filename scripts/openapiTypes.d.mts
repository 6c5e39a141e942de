/** Where `npm run api-types` writes the web app's generated API types. */
export declare const API_TYPES_FILE: string;
/** The TypeScript types (`paths`, `components`, ...) for an OpenAPI document, formatted as Biome does. */
export declare function generateApiTypes(document: unknown): Promise<string>;
