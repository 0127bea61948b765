// `import x from '<file>?text'`: the file's contents as a string, inlined by
// the edge build (scripts/build-edge.ts).
declare module '*?text' {
  const text: string;
  export default text;
}
