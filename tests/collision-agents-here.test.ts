// Who is in a conversation, by the clock: an agent who opens it is there until they leave, stop
// saying so (two missed heartbeats) or lose their last live connection; typing ends a few seconds
// after the last key. Listeners hear each change once, and nothing when nothing changed.
import { expect, test } from "bun:test";
import { AgentsHere, TYPING_MS, VIEW_MS, type AgentHere } from "../src/pipeline/agents-here.ts";

function setup() {
  let now = 1_000_000;
  const here = new AgentsHere(() => now);
  const heard: [number, AgentHere[]][] = [];
  here.onChange((c, list) => heard.push([c, list]));
  return { here, heard, later: (ms: number) => (now += ms) };
}
const lan = { id: 1, name: "Lan" };
const an = { id: 2, name: "An" };

test("viewing, typing, and back to viewing after a pause", () => {
  const { here, heard, later } = setup();
  expect(here.viewing(7, lan)).toEqual([{ userId: 1, name: "Lan", typing: false }]);
  here.viewing(7, an);
  here.typing(7, an);
  expect(heard.map(([, l]) => l.map((a) => `${a.name}:${a.typing}`).join())).toEqual(["Lan:false", "Lan:false,An:false", "Lan:false,An:true"]);
  later(TYPING_MS - 1);
  here.sweep();
  expect(heard).toHaveLength(3); // still typing
  later(2);
  here.sweep();
  expect(heard.at(-1)).toEqual([7, [{ userId: 1, name: "Lan", typing: false }, { userId: 2, name: "An", typing: false }]]);
  expect(here.list(7).every((a) => !a.typing)).toBe(true);
});

test("a heartbeat keeps an agent there; without one they are gone", () => {
  const { here, heard, later } = setup();
  here.viewing(7, lan);
  later(VIEW_MS - 1);
  here.viewing(7, lan); // the beat: nothing new to tell
  expect(heard).toHaveLength(1);
  later(VIEW_MS - 1);
  here.sweep();
  expect(here.list(7)).toHaveLength(1);
  later(2);
  here.sweep();
  expect(here.list(7)).toEqual([]);
  expect(heard.at(-1)).toEqual([7, []]);
});

test("leaving, and losing the last connection, end it at once and everywhere", () => {
  const { here, heard } = setup();
  here.viewing(7, lan);
  here.viewing(8, lan);
  here.viewing(8, an);
  here.leave(8, an.id);
  expect(here.list(8).map((a) => a.name)).toEqual(["Lan"]);
  here.leaveAll(lan.id);
  expect(here.list(7)).toEqual([]);
  expect(here.list(8)).toEqual([]);
  expect(heard.slice(-2)).toEqual([[7, []], [8, []]]);
  here.leave(8, an.id); // already gone: nothing to tell
  expect(heard).toHaveLength(6);
});

test("an agent with the conversation in two tabs stays until the last one leaves", () => {
  const { here, heard } = setup();
  here.viewing(7, lan, "tab-a");
  here.viewing(7, lan, "tab-b");
  expect(heard).toHaveLength(1);
  here.leave(7, lan.id, "tab-a");
  expect(here.list(7).map((a) => a.name)).toEqual(["Lan"]);
  expect(heard).toHaveLength(1);
  here.leave(7, lan.id, "tab-b");
  expect(here.list(7)).toEqual([]);
  expect(heard.at(-1)).toEqual([7, []]);
});

test("sending ends typing without waiting for the pause", () => {
  const { here, heard } = setup();
  here.typing(7, an);
  here.stoppedTyping(7, an.id);
  expect(heard.map(([, l]) => l[0].typing)).toEqual([true, false]);
  here.stoppedTyping(7, an.id);
  expect(heard).toHaveLength(2);
});
