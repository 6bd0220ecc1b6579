// Render LaTeX blocks with KaTeX in strict mode, errors thrown.
// stdin: a JSON array of strings (the bodies of $$ blocks); stdout: a JSON array of
// {index, error} for every block that fails (empty when all render).
const katex = require("katex");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const blocks = JSON.parse(input);
  const failures = [];
  blocks.forEach((tex, index) => {
    try {
      katex.renderToString(tex, { displayMode: true, strict: "error", throwOnError: true, trust: false });
    } catch (e) {
      failures.push({ index, error: String(e.message || e) });
    }
  });
  process.stdout.write(JSON.stringify({ version: katex.version, failures }));
});
