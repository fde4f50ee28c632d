import { useEffect, useState } from 'react'

/** `value`, once it has stayed the same for `delay` ms (the first value at once). */
export function useDebounced<T>(value: T, delay = 300): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const h = setTimeout(() => setSettled(value), delay)
    return () => clearTimeout(h)
  }, [value, delay])
  return settled
}
