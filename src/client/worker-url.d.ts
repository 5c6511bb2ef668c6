// Vite's `?worker&url` import (the bundled worker's URL), declared for the contexts that compile
// src/client without vite/client's types: the Node specs that import it, and the package's
// declaration build. Same shape as vite/client's own declaration.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
