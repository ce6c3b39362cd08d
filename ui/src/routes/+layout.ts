// A desktop app with no server: render in the webview only.
export const ssr = false;
export const prerender = false;
