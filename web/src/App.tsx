import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { lazy, Suspense, type ReactNode } from 'react';
import { useAuth } from './auth';
import { Home } from './pages/Home';
import { Search } from './pages/Search';
import { ProductPage } from './pages/Product';
import { CartPage } from './pages/Cart';
import { Checkout } from './pages/Checkout';
import { Orders } from './pages/Orders';
import { OrderPage } from './pages/Order';
import { LogIn, SignUp } from './pages/Account';
import { Support } from './pages/Support';
import { Notifications } from './pages/Notifications';
import { SearchBox } from './components/SearchBox';
import { Loading } from './components/Status';

// The admin pages (and the charting library) load only when an admin opens them.
const Dashboard = lazy(() =>
  import('./pages/admin/Dashboard').then((module) => ({ default: module.Dashboard })),
);
const AdminOrders = lazy(() =>
  import('./pages/admin/AdminOrders').then((module) => ({ default: module.AdminOrders })),
);
const Inventory = lazy(() =>
  import('./pages/admin/Inventory').then((module) => ({ default: module.Inventory })),
);

function RequireUser({ admin, children }: { admin?: boolean; children: ReactNode }) {
  const { token, user, loading } = useAuth();
  if (!token) return <Navigate to="/login" replace />;
  if (loading) return <Loading what="your account" />;
  if (admin && user?.role !== 'ADMIN')
    return (
      <p className="status error" role="alert">
        This page is for administrators.
      </p>
    );
  return <>{children}</>;
}

function Header() {
  const { user, token, signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <NavLink to="/" className="brand">
        CloudMart
      </NavLink>
      <SearchBox />
      <nav aria-label="Main">
        <NavLink to="/search">Browse</NavLink>
        <NavLink to="/cart">Cart</NavLink>
        {token && <NavLink to="/orders">Orders</NavLink>}
        {token && <NavLink to="/support">Help</NavLink>}
        {token && <NavLink to="/notifications">Notifications</NavLink>}
        {user?.role === 'ADMIN' && <NavLink to="/admin">Dashboard</NavLink>}
        {user?.role === 'ADMIN' && <NavLink to="/admin/orders">All orders</NavLink>}
        {user?.role === 'ADMIN' && <NavLink to="/admin/inventory">Inventory</NavLink>}
        {token ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              signOut();
              navigate('/');
            }}
          >
            Log out{user ? ` (${user.name})` : ''}
          </button>
        ) : (
          <>
            <NavLink to="/login">Log in</NavLink>
            <NavLink to="/signup">Sign up</NavLink>
          </>
        )}
      </nav>
    </header>
  );
}

export function App() {
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/search" element={<Search />} />
            <Route path="/products/:id" element={<ProductPage />} />
            <Route
              path="/cart"
              element={
                <RequireUser>
                  <CartPage />
                </RequireUser>
              }
            />
            <Route
              path="/checkout"
              element={
                <RequireUser>
                  <Checkout />
                </RequireUser>
              }
            />
            <Route
              path="/orders"
              element={
                <RequireUser>
                  <Orders />
                </RequireUser>
              }
            />
            <Route
              path="/orders/:id"
              element={
                <RequireUser>
                  <OrderPage />
                </RequireUser>
              }
            />
            <Route
              path="/notifications"
              element={
                <RequireUser>
                  <Notifications />
                </RequireUser>
              }
            />
            <Route
              path="/support"
              element={
                <RequireUser>
                  <Support />
                </RequireUser>
              }
            />
            <Route path="/login" element={<LogIn />} />
            <Route path="/signup" element={<SignUp />} />
            <Route
              path="/admin"
              element={
                <RequireUser admin>
                  <Dashboard />
                </RequireUser>
              }
            />
            <Route
              path="/admin/orders"
              element={
                <RequireUser admin>
                  <AdminOrders />
                </RequireUser>
              }
            />
            <Route
              path="/admin/inventory"
              element={
                <RequireUser admin>
                  <Inventory />
                </RequireUser>
              }
            />
            <Route path="*" element={<p className="status">Page not found.</p>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
