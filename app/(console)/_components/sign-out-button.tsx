'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/use-hydrated';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const hydrated = useHydrated();
  return (
    <Button
      size="sm"
      disabled={pending || !hydrated}
      onClick={async () => {
        setPending(true);
        await signOut({ redirect: false });
        router.replace('/login');
        router.refresh();
      }}
    >
      Sign out
    </Button>
  );
}
