// Standalone entry that serves the MCP tools over stdio (used by the stdio test before the CLI bundle exists).
import { runStdioServer } from './server.js';

await runStdioServer();
