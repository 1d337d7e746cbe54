import { useState } from "react";
import { createRoot } from "react-dom/client";

function Counter() {
  const [count, setCount] = useState(0);
  return (
    <main>
      <h1>hello, dopt</h1>
      <button onClick={() => setCount((n) => n + 1)}>clicked {count} times</button>
    </main>
  );
}

createRoot(document.getElementById("root")).render(<Counter />);
