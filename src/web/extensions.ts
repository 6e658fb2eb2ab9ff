// Route modules added by later areas (web UI, routing rules, reports, settings) register here,
// so app.ts stays the same size as Pano grows.
import type { Hono } from "hono";
import type { Pano } from "../pano.ts";
import type { Env } from "./auth.ts";

export function mountExtensions(_pano: Pano, _app: Hono, _api: Hono<Env>): void {}
