// A Pano with no admin and none in the environment (here: its only user is an agent, made with
// `pano user create`; `pano serve` itself prints a generated admin when the database has no user
// at all): the first visitor creates the admin on /setup (in Vietnamese), and then nobody can again. The admin changes their password: the
// other browser signed in as them is signed out, the old password stops working, the new one works.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { databaseFor, ON_POSTGRES, panoCommand, ROOT, runPano, tempDir, untilServing } from "./support/pano.ts";
import { launchBrowser, logIn, openPage, type WatchedPage } from "./support/browser.ts";

let url: string;
let proc: ReturnType<typeof Bun.spawn>;
let browser: Browser;
let w: WatchedPage;
const owner = { email: "chu.shop@pano.test", password: "mat-khau-dau-tien-1" };

beforeAll(async () => {
  const dataDir = tempDir();
  // PORT=0: Pano binds a free port and reports it; the public URL follows it.
  const env: Record<string, string> = { ...process.env, PORT: "0", PANO_DATA_DIR: dataDir, PANO_PUBLIC_URL: "", PANO_LOG_LEVEL: "warn" };
  if (ON_POSTGRES) env.PANO_DATABASE_URL = await databaseFor(dataDir);
  delete env.PANO_ADMIN_EMAIL;
  delete env.PANO_ADMIN_PASSWORD;
  const made = await runPano(["user", "create", "--email", "nhanvien@pano.test", "--password", "mat-khau-nhan-vien-1", "--role", "agent"], env);
  if (made.code !== 0) throw new Error(made.stderr);
  proc = Bun.spawn([...panoCommand(), "serve"], { cwd: ROOT, env, stdout: "ignore", stderr: "ignore" });
  browser = await launchBrowser();
  url = (await untilServing(proc, dataDir)).url;
  w = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  proc?.kill("SIGTERM");
  await proc?.exited;
});

describe("first run", () => {
  test("with no admin yet, the login page leads to creating the first admin", async () => {
    await w.page.goto(`${url}/inbox`);
    await w.page.waitForURL(/\/setup$/);
    await w.page.getByRole("heading", { name: "Tạo tài khoản quản trị đầu tiên" }).waitFor();
    await w.page.getByLabel("Họ và tên").fill("Chủ Shop");
    await w.page.getByLabel("Email", { exact: true }).fill(owner.email);
    await w.page.getByLabel("Mật khẩu mới", { exact: true }).fill(owner.password);
    await w.page.getByLabel("Nhập lại mật khẩu mới").fill("khong-khop-nhau-1");
    await w.page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await w.page.getByText("Hai mật khẩu không khớp.").waitFor();
    await w.page.getByLabel("Mật khẩu mới", { exact: true }).fill(owner.password);
    await w.page.getByLabel("Nhập lại mật khẩu mới").fill(owner.password);
    await Promise.all([w.page.waitForURL(/\/inbox/), w.page.getByRole("button", { name: "Tạo tài khoản" }).click()]);
    await w.page.getByText("Không có hội thoại nào khớp bộ lọc").waitFor();
    // Not "remember me": the cookie ends with the browser.
    expect((await w.context.cookies()).find((c) => c.name.includes("session"))?.expires).toBe(-1);
  });

  test("once an admin exists, /setup is closed", async () => {
    const other = await openPage(browser);
    await other.page.goto(`${url}/setup`);
    await other.page.waitForURL(/\/login/);
    await other.context.close();
  });
});

describe("password change", () => {
  test("the other signed-in browser is signed out, and only the new password works", async () => {
    const elsewhere = await openPage(browser);
    await logIn(elsewhere.page, { url } as never, owner, { remember: true });
    const fresh = "mat-khau-moi-sau-khi-doi-2";
    await w.page.goto(`${url}/account`);
    await w.page.getByLabel("Mật khẩu hiện tại").fill("sai-mat-khau-cu-99");
    await w.page.getByLabel("Mật khẩu mới", { exact: true }).fill(fresh);
    await w.page.getByLabel("Nhập lại mật khẩu mới").fill(fresh);
    await w.page.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await w.page.getByText("Mật khẩu hiện tại không đúng.").waitFor();
    await w.page.getByLabel("Mật khẩu hiện tại").fill(owner.password);
    await w.page.getByLabel("Mật khẩu mới", { exact: true }).fill(fresh);
    await w.page.getByLabel("Nhập lại mật khẩu mới").fill(fresh);
    await w.page.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await w.page.getByText("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.").waitFor();
    // This browser keeps working; the other one is at the login page on its next step.
    await w.page.goto(`${url}/inbox`);
    await w.page.waitForURL(/\/inbox/);
    await elsewhere.page.goto(`${url}/inbox`);
    await elsewhere.page.waitForURL(/\/login/);
    await elsewhere.page.getByLabel("Email", { exact: true }).fill(owner.email);
    await elsewhere.page.getByLabel("Mật khẩu", { exact: true }).fill(owner.password);
    await elsewhere.page.getByRole("button", { name: "Đăng nhập" }).click();
    await elsewhere.page.getByText("Email hoặc mật khẩu không đúng.").waitFor();
    await logIn(elsewhere.page, { url } as never, { email: owner.email, password: fresh });
    expect(w.errors.concat(elsewhere.errors)).toEqual([]);
    await elsewhere.context.close();
  });
});
