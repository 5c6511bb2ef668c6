/**
 * A page's element by id, checked against the type the page expects: a missing or renamed
 * element fails at start, naming the page and the id, instead of later as a null.
 */
export function elementById<T extends Element>(page: string, id: string, type: abstract new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`${page} has no <${type.name}> #${id}`);
  return found;
}
