// What the visitor routes need from the rest of Pano, in one small interface: tests hand in their
// own, and index.ts builds it from what the core gives a kind's routes.
import type { Context } from "hono";
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { WebChatConfig } from "./config.ts";
import type { BusinessHours } from "../../domain/sla.ts";
import type { TranscriptItem } from "../../store/customer-transcript.ts";

export interface VisitorHost {
  publicUrl: string;
  runtime: ChannelRuntime;
  /** The active web_chat channel whose public widget_token this is. */
  byWidgetToken(token: string): Channel<WebChatConfig> | undefined;
  transcript(channelId: number, subject: string, afterId: number, limit: number): TranscriptItem[];
  hasIdentity(channelId: number, subject: string): boolean;
  /** The visitor is typing: the agents who see their conversation are told (nothing is stored). */
  customerTyping(channelId: number, subject: string): void;
  /** A team's business hours (the channel's hours_team_id); null: none kept. */
  businessHours(teamId: number): BusinessHours | null;
  /** The visitor rates their own survey (or adds a comment); "not_found" for anyone else's or one never sent. */
  answerSurvey(channelId: number, subject: string, surveyId: number, rating: number, comment: string | null): Promise<"ok" | "not_found">;
  /** The caller's address for per-address limits (honours the operator's trusted proxies). */
  clientAddress(c: Context): string;
}
