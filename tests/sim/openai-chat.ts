// A local OpenAI-compatible chat completions server for the copilot: streams its answer as
// Server-Sent Events (`data: {"choices":[{"delta":{"content":"…"}}]}` … `data: [DONE]`) when asked
// to stream, and answers triage's non-streamed questions with a JSON completion. Its behaviour can
// be switched: a proper answer, a failure status, a malformed stream, or one that never starts.
export type ChatMode = "stream" | "error" | "malformed" | "silent";

export interface FakeChat {
  url: string;
  mode: ChatMode;
  /** The streamed answer, in the pieces it is sent in. */
  pieces: string[];
  /** Every streamed request received (the copilot's), parsed. */
  streamed: any[];
  stop(): void;
}

export function startFakeChat(): FakeChat {
  const held: (() => void)[] = [];
  const fake: FakeChat = {
    url: "", mode: "stream", pieces: ["Dạ ", "shop ", "chào chị ạ."], streamed: [],
    stop: () => {
      for (const release of held.splice(0)) release();
      server.stop(true);
    },
  };
  const enc = new TextEncoder();
  const server = Bun.serve({
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      if (new URL(req.url).pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
      const body = await req.json();
      if (!body.stream) {
        // Triage's second opinion on an unsure message: a plain completion.
        return Response.json({ choices: [{ index: 0, message: { role: "assistant", content: '{"intent":"other","urgent":false}' }, finish_reason: "stop" }] });
      }
      fake.streamed.push(body);
      if (fake.mode === "error") return Response.json({ error: { message: "overloaded" } }, { status: 503 });
      const mode = fake.mode;
      const pieces = [...fake.pieces];
      const stream = new ReadableStream<Uint8Array>({
        async start(ctl) {
          if (mode === "silent") {
            // Never answers: held open until the client gives up (Pano's first-token cap) or the test ends.
            await new Promise<void>((resolve) => { held.push(resolve); req.signal.addEventListener("abort", () => resolve()); });
            try { ctl.close(); } catch {}
            return;
          }
          if (mode === "malformed") {
            ctl.enqueue(enc.encode(`data: {"choices":[{"delta":{"content":"Dạ "}}]}\n\n`));
            ctl.enqueue(enc.encode("data: <html>502 Bad Gateway</html>\n\n"));
            ctl.close();
            return;
          }
          for (const p of pieces) ctl.enqueue(enc.encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: p } }] })}\n\n`));
          ctl.enqueue(enc.encode("data: [DONE]\n\n"));
          ctl.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    },
  });
  fake.url = `http://127.0.0.1:${server.port}/v1`;
  return fake;
}
