// Someone with an admin token (or a careless admin) points an API channel's callback at Pano's own
// disk, a script, the Redis next door or the cloud metadata service. Pano refuses such a URL when it
// is saved, refuses to send to a private address even if one was saved earlier, and never shows
// agents what a callback's error page said.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, ADMIN, tempDir, type PanoProcess } from "./support/pano.ts";
import { startReceiver } from "./support/receiver.ts";
import { signIn, fieldError } from "./settings-session.ts";

let pano: PanoProcess;
beforeAll(async () => {
  // Production's setting: outside URLs may not reach private addresses.
  pano = await startPano({ env: { PANO_ALLOW_PRIVATE_FETCH: "0" } });
});
afterAll(async () => {
  await pano?.stop();
});

const createApiChannel = (p: PanoProcess, callback_url: string) =>
  p.api("/api/v1/channels", { method: "POST", json: { type: "api", name: `Website ${Math.random()}`, config: { callback_url } } });

async function conversationOn(p: PanoProcess, channelId: string) {
  const ids = await p.json(`/api/v1/channels/${channelId}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: `m-${Math.random()}`, text: "Shop ơi" } });
  return ids.conversation_id as string;
}

async function failedReply(p: PanoProcess, conv: string) {
  const reply = await p.json(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: "Dạ shop gửi anh báo giá" } });
  return eventually(async () => {
    const m = (await p.json(`/api/v1/conversations/${conv}/messages`)).data.find((x: any) => x.id === reply.id);
    return m && m.status !== "queued" && m;
  }, 8000, "the reply to leave the queue");
}

test("a callback URL that is not http(s) is refused with 422 naming the field", async () => {
  for (const url of ["file:///etc/passwd", "javascript:alert(document.cookie)", "gopher://127.0.0.1:6379/_FLUSHALL"]) {
    const r = await createApiChannel(pano, url);
    expect({ url, status: r.status }).toEqual({ url, status: 422 });
    const body = await r.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.field).toBe("config.callback_url");
  }
});

test("a callback URL on loopback, a private network or the metadata service is refused while the allowance is off", async () => {
  for (const url of ["http://169.254.169.254/latest/meta-data/iam/", "http://127.0.0.1:6379/", "http://[::1]/cb", "http://10.0.0.5/hook", "http://[::ffff:127.0.0.1]/x", "http://localhost:3000/cb"]) {
    const r = await createApiChannel(pano, url);
    expect({ url, status: r.status }).toEqual({ url, status: 422 });
    const body = await r.json();
    expect(body.error.field).toBe("config.callback_url");
    expect(body.error.message).toContain("private");
  }
  // Editing a good channel to point inward is refused the same way.
  const ok = await createApiChannel(pano, "https://shop-hoa-mai.example/pano");
  expect(ok.status).toBe(201);
  const ch = await ok.json();
  const patched = await pano.api(`/api/v1/channels/${ch.id}`, { method: "PATCH", json: { config: { callback_url: "http://169.254.169.254/latest/meta-data/" } } });
  expect(patched.status).toBe(422);
  expect((await pano.json(`/api/v1/channels/${ch.id}`)).status).toBe("active");

  // The settings form says it beside the field, in Vietnamese.
  const admin = await signIn(pano, ADMIN.email, ADMIN.password);
  const form = await admin.post("/settings/channels/new/api", { name: "Website chat", "config.callback_url": "http://169.254.169.254/latest/meta-data/" });
  expect(form.status).toBe(422);
  expect(fieldError(form.html, "config.callback_url")).toBe("Địa chỉ này trỏ vào mạng nội bộ hoặc chính máy chủ; hãy dùng một địa chỉ công khai (https://…)");
});

test("a callback saved while private addresses were allowed is not called once they are not", async () => {
  const rx = startReceiver();
  const dataDir = tempDir();
  const dev = await startPano({ dataDir, env: { PANO_ALLOW_PRIVATE_FETCH: "1" } });
  let prod: PanoProcess | null = null;
  try {
    const ch = await (await createApiChannel(dev, rx.url)).json();
    await dev.stop();
    prod = await startPano({ dataDir, env: { PANO_ALLOW_PRIVATE_FETCH: "0", PANO_RETRY_BASE_MS: "50" } });
    const m = await failedReply(prod, await conversationOn(prod, ch.id));
    expect(m.status).toBe("failed");
    expect(m.error).toContain("127.0.0.1");
    expect(rx.received).toHaveLength(0);
  } finally {
    await prod?.stop();
    rx.stop();
  }
});

test("an agent sees the callback's status, never the page it answered with", async () => {
  const leak = "<html>Internal admin: db_password=hunter2, see http://10.0.0.7/ops</html>";
  const callback = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(leak, { status: 403, statusText: "Forbidden" }) });
  const dev = await startPano({ env: { PANO_ALLOW_PRIVATE_FETCH: "1" } });
  try {
    const ch = await (await createApiChannel(dev, `http://127.0.0.1:${callback.port}/cb`)).json();
    const m = await failedReply(dev, await conversationOn(dev, ch.id));
    expect(m.status).toBe("failed");
    expect(m.error).toContain("HTTP 403 Forbidden");
    expect(m.error).not.toContain("hunter2");
    expect(m.error).not.toContain("Internal admin");
  } finally {
    await dev.stop();
    callback.stop(true);
  }
});
