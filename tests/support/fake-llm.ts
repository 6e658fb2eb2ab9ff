// A local OpenAI-compatible chat completions endpoint for triage tests. Its behaviour can be
// switched mid-test: answer properly, answer slowly, answer garbage, or fail with a status.
export type FakeLlmMode = "answer" | "slow" | "garbage" | "not_json" | "error";

export interface FakeLlm {
  url: string;
  mode: FakeLlmMode;
  /** What an "answer" says. */
  answer: { intent: string; urgent: boolean };
  /** Every request body received, parsed. */
  requests: any[];
  stop(): void;
}

export function startFakeLlm(): FakeLlm {
  const fake: FakeLlm = {
    url: "",
    mode: "answer",
    answer: { intent: "complaint", urgent: true },
    requests: [],
    stop: () => server.stop(true),
  };
  const completion = (content: string) => Response.json({ id: "chatcmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] });
  const server = Bun.serve({
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      if (new URL(req.url).pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
      fake.requests.push(await req.json());
      switch (fake.mode) {
        case "answer":
          return completion(JSON.stringify(fake.answer));
        case "slow":
          await Bun.sleep(3000); // the scenario: an LLM slower than Pano's timeout
          return completion(JSON.stringify(fake.answer));
        case "garbage":
          return completion("Tôi nghĩ đây là một lời phàn nàn, khá gấp đó bạn!");
        case "not_json":
          return new Response("<html>502 Bad Gateway</html>", { status: 200, headers: { "content-type": "text/html" } });
        case "error":
          return Response.json({ error: { message: "overloaded" } }, { status: 503 });
      }
    },
  });
  fake.url = `http://127.0.0.1:${server.port}/v1`;
  return fake;
}
