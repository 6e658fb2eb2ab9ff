// Email HTML as Pano stores it: only the safe version reaches the database, the UI and the
// API's `html`. No scripts, event handlers, javascript: links, forms, frames, <style> sheets or
// CSS that can fetch, run or overlay; remote images are parked in data-remote-src (and listed
// in meta) until an agent asks for them, so opening a mail tells no tracker anything.
import sanitizeHtml from "sanitize-html";

// A style value may not fetch (url, image-set, @import), run (expression, behavior, binding),
// or escape the parser (backslashes, comments).
const SAFE_VALUE = /^(?!.*(?:url|image|expression|script|behavio|binding|import|\\|\/\*|&))[-#%.,()'"\w\s!/]*$/i;
const STYLE_PROPS = [
  "color", "background-color", "font-size", "font-weight", "font-style", "font-family", "text-align",
  "text-decoration", "text-transform", "line-height", "letter-spacing", "vertical-align", "white-space",
  "width", "max-width", "min-width", "height", "border", "border-top", "border-bottom", "border-left",
  "border-right", "border-collapse", "border-color", "border-width", "border-style", "border-radius",
  "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
  "padding", "padding-top", "padding-bottom", "padding-left", "padding-right", "display",
];
const DISPLAY_VALUES = /^(?:block|inline|inline-block|table|table-row|table-cell|none)$/i;
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;

export interface SafeHtml {
  html: string;
  /** Original src of each remote image, in order, for "show images". */
  remoteImages: string[];
}

type ImgTransform = (attribs: Record<string, string>) => Record<string, string>;

function clean(dirty: string, img: ImgTransform): string {
  const allowedStyles = Object.fromEntries(STYLE_PROPS.map((p) => [p, [p === "display" ? DISPLAY_VALUES : SAFE_VALUE]]));
  return sanitizeHtml(dirty, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "font", "center"],
    allowedAttributes: {
      a: ["href", "title", "rel", "target"],
      img: ["src", "alt", "title", "width", "height", "data-remote-src", "data-cid"],
      font: ["color", "size", "face"],
      table: ["width", "border", "cellpadding", "cellspacing", "align", "bgcolor"],
      td: ["colspan", "rowspan", "align", "valign", "width", "bgcolor"],
      th: ["colspan", "rowspan", "align", "valign", "width", "bgcolor"],
      "*": ["style", "dir", "align", "lang"],
    },
    allowedStyles: { "*": allowedStyles },
    allowedSchemes: ["http", "https", "mailto", "tel"],
    // Remote image URLs never survive the img transform below (they move to data-remote-src);
    // what is left in src is a data: image or Pano's own URL for an inline part.
    allowedSchemesByTag: { img: ["data", "http", "https"] },
    allowProtocolRelative: false,
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "head", "template", "xmp", "noembed", "noframes", "iframe", "object", "svg", "math"],
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow", target: "_blank" } }),
      img: (tagName, attribs) => ({ tagName, attribs: img(attribs) }),
    },
  });
}

/** `inline` maps a cid (without brackets) to the URL where Pano serves that stored part. */
export function sanitizeEmailHtml(dirty: string, inline: Map<string, string> = new Map()): SafeHtml {
  const remoteImages: string[] = [];
  const html = clean(dirty, (attribs) => {
    const src = (attribs.src ?? "").trim();
    // The data-* markers are Pano's own; a sender who plants them gets nothing restored later.
    const { src: _src, "data-remote-src": _remote, "data-cid": _cid, ...rest } = attribs;
    if (/^cid:/i.test(src)) {
      const cid = src.slice(4).replace(/^<|>$/g, "");
      const url = inline.get(cid);
      return url ? { ...rest, src: url, "data-cid": cid } : { ...rest, "data-cid": cid };
    }
    if (INLINE_IMAGE.test(src)) return { ...rest, src };
    if (/^https?:\/\//i.test(src)) {
      remoteImages.push(src);
      return { ...rest, "data-remote-src": src, alt: rest.alt ?? "" };
    }
    return rest;
  });
  return { html, remoteImages };
}

/**
 * The stored (already safe) HTML with its remote images loading again, for when an agent asks
 * to see them. Sanitised once more on the way, so only web images come back and nothing else.
 */
export function withRemoteImages(safeHtml: string): string {
  return clean(safeHtml, (attribs) => {
    const remote = (attribs["data-remote-src"] ?? "").trim();
    const { "data-remote-src": _remote, ...rest } = attribs;
    return /^https?:\/\//i.test(remote) ? { ...rest, src: remote } : rest;
  });
}
