// Every panel URL carries the conversation it sits beside: that conversation is what grants access.
export const panelUrls = (d: { id: number; conversationId: number }) => {
  const base = `/contacts/${d.id}`;
  const q = `?c=${d.conversationId}`;
  return { panel: `${base}/panel${q}`, edit: `${base}/edit${q}`, save: `${base}${q}`, merge: `${base}/merge${q}`, results: `${base}/merge/results${q}`, confirm: `${base}/merge/confirm${q}` };
};
